#pragma once
#include <sys/types.h>

// BoxLab's sandbox is entered before the Swift runtime starts any thread.
//
// Threads share one fs_struct, so in a multithreaded process unshare(CLONE_NEWNS)
// moves only the calling thread and setns into a mount or user namespace fails with
// EINVAL. boxlab therefore re-executes itself with BOXLAB_SANDBOX set, and a constructor
// (sandbox.c) creates or joins the namespaces while the process is still one thread:
//
//   BOXLAB_SANDBOX=private        the boundary (below), kept by nobody: it dies with the
//                                 process (batch runs).
//   BOXLAB_SANDBOX=create:DIR     the same, and each namespace is bind-mounted at
//                                 DIR/user, net, uts, ipc, cgroup, pid and mnt so other
//                                 boxlab processes (shell, check) can join it. DIR must be
//                                 a private mount in the host namespace (the caller
//                                 prepares it) and hold seven empty files.
//   BOXLAB_SANDBOX=join:DIR       setns into the namespaces bind-mounted under DIR, the
//                                 user namespace first (a trusted session has none), after
//                                 joining the session's groups in BOXLAB_SANDBOX_CGROUPS.
//   BOXLAB_SANDBOX=trusted        the trusted flavour: new mount/net/UTS/IPC namespaces
//                                 with the host's root, for the test suite's harness and
//                                 for machines that cannot hold the boundary
//                                 (Sandbox.boundaryMissing says why; labs then run with
//                                 --host's trust rules).
//   BOXLAB_SANDBOX=trusted-create:DIR  the same, persisted at DIR/net, uts, ipc and mnt.
//
// The boundary: a user namespace in which root (ids 0-165535) is host ids
// BOXLAB_SANDBOX_ROOT.. (as rootless Podman maps a user's subordinate ids), owning new
// mount, network, UTS, IPC, cgroup and PID namespaces. Its mount namespace is copied from one
// that host root prepared first: the host read-only, nosuid and nodev, fresh tmpfs on /tmp,
// /run (with /run/netns) and /dev (null, zero, full, random, urandom and tty bound from
// the host's, devpts, shm), the directories in BOXLAB_SANDBOX_KEEP (':'-separated: the
// run and state directories, a disk workspace) writable and idmapped so the sandbox's root
// owns what host root owns there, the directories in BOXLAB_SANDBOX_SHOW (the labs)
// read-only even where a fresh tmpfs covers their place, and the cgroup directories in
// BOXLAB_SANDBOX_CGROUPS (made and chowned to the sandbox's root by the supervisor)
// writable. The namespaces are made by one clone() of the pid namespace's init (a small C
// process that reaps) while the constructor is in those cgroups, so they are the cgroup
// namespace's root; its processes then go into BOXLAB_SANDBOX_ENTER_CGROUPS (the same on
// v1, a leaf below on v2, where a group that hands controllers down holds no processes).
// The kernel locks the view's flags and mounts in the copy. The constructor writes the
// init's maps at once as host root, binds the namespaces' files for a session, joins them
// and returns in a forked child, pid 2 (the worker), while the process that ran it stays
// outside the pid namespace, waits, and ends as the worker ended. With BOXLAB_WORKER=PID
// (a supervisor) every process of the chain dies with its parent.
//
// In all of them the root is made recursively private, so nothing done inside
// propagates to the host. The variables are removed (unsetenv, which edits environ in
// place): the constructor must not grow environ, because a Swift runtime linked
// statically finds argv next to the environment it started with.

/// The first host uid and gid of the sandbox's ids (its root), and how many there are:
/// enough for a container's own range of 65536 at 100000 inside, as Docker's userns-remap
/// gives one (lab 13), so that a lab reads the same in the sandbox and on a host.
/// No account or /etc/subuid entry uses them on the machines BoxLab is developed on; see
/// docs/userns-sandbox.md.
#define BOXLAB_SANDBOX_ROOT 100000
#define BOXLAB_SANDBOX_IDS 165536

/// The outcome of the constructor: NULL when no sandbox was asked for or it was
/// entered; otherwise a one-line description of the call that failed and its errno.
const char *boxlab_sandbox_error(void);

/// 1 when the constructor entered a sandbox in this process.
int boxlab_sandbox_entered(void);
