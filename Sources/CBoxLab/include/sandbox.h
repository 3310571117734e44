#pragma once
#include <sys/types.h>

// BoxLab's sandbox is entered before the Swift runtime starts any thread.
//
// Threads share one fs_struct, so in a multithreaded process unshare(CLONE_NEWNS)
// moves only the calling thread and setns into a mount namespace fails with EINVAL.
// boxlab therefore re-executes itself with BOXLAB_SANDBOX set, and a constructor
// (sandbox.c) creates or joins the namespaces while the process is still one thread:
//
//   BOXLAB_SANDBOX=private        new mount/net/UTS/IPC namespaces, kept by nobody:
//                                 they die with the process (batch runs).
//   BOXLAB_SANDBOX=create:DIR     the same, and each namespace is bind-mounted at
//                                 DIR/mnt, DIR/net, DIR/uts, DIR/ipc so other boxlab
//                                 processes (shell, check) can join it. DIR must be a
//                                 private mount in the host namespace (the caller
//                                 prepares it) and hold four empty files.
//   BOXLAB_SANDBOX=join:DIR       setns into the namespaces bind-mounted under DIR.
//
// In all three the root is made recursively private, so nothing done inside
// propagates to the host. The variable is removed (unsetenv, which edits environ in
// place): the constructor must not grow environ, because a Swift runtime linked
// statically finds argv next to the environment it started with.

/// The outcome of the constructor: NULL when no sandbox was asked for or it was
/// entered; otherwise a one-line description of the call that failed and its errno.
const char *boxlab_sandbox_error(void);

/// 1 when the constructor entered a sandbox in this process.
int boxlab_sandbox_entered(void);

/// Makes the kernel SIGKILL this process when its parent dies (PR_SET_PDEATHSIG). Returns
/// -1 if the parent is no longer `parent` (it died already) or the call failed.
int boxlab_end_with_parent(pid_t parent);
