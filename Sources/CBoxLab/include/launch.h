#pragma once
#include <stdint.h>
#include <sys/types.h>

// Starts a program in new and joined namespaces, the way unshare(1), nsenter(1) and the
// container runtimes do, in two phases:
//
//   1. boxlab_launch_start clones the child with the new namespaces (CLONE_NEW* in
//      clone_flags). The child blocks on a pipe before it does anything else, so the
//      parent can write its uid_map/gid_map, put it in a cgroup and journal it first.
//   2. boxlab_launch_release lets it go. The child then joins the namespaces in
//      join_fds (in that order; setns), unshares unshare_flags (a time namespace cannot
//      be made by clone), forks once more if asked (setns into a PID namespace and
//      unshare of a time namespace move only the caller's children), sets the propagation of /,
//      mounts /proc, sets the hostname, wires stdio, changes directory, and execs.
//
// Everything between clone and exec is async-signal-safe C: the parent is a multithreaded
// Swift process. The child reports each call it made, with its result and errno, as a
// boxlab_launch_record on the close-on-exec report pipe; the pipe reaching end of file
// after the last record without an error means execve succeeded.

enum boxlab_launch_call {
    BOXLAB_CALL_SETNS = 1,
    BOXLAB_CALL_UNSHARE,
    BOXLAB_CALL_FORK,
    BOXLAB_CALL_MOUNT_PROPAGATION,
    BOXLAB_CALL_MOUNT_PROC,
    BOXLAB_CALL_SETHOSTNAME,
    BOXLAB_CALL_DUP2,
    BOXLAB_CALL_CHDIR,
    BOXLAB_CALL_EXECVE,
    BOXLAB_CALL_READ_SYNC,
};

struct boxlab_launch_record {
    int32_t call;      // enum boxlab_launch_call
    int32_t argument;  // setns: the index in join_fds; dup2: the target descriptor
    int64_t result;    // the call's return value (fork: the new pid, as the parent sees it)
    int32_t error;     // errno when result is -1; the calls after a fork are the new process's
};

struct boxlab_launch {
    const char *path;
    char *const *argv;
    char *const *envp;
    const char *cwd;          // NULL: the parent's
    int stdio[3];             // -1: the parent's descriptor
    int clone_flags;          // CLONE_NEW* to create
    const int *join_fds;      // namespace files to join after the clone, in order
    const int *join_types;    // their CLONE_NEW* types
    int join_count;
    int unshare_flags;        // namespaces that only the caller's children enter (CLONE_NEWTIME)
    int fork_after_join;      // joined a PID or time namespace: the program runs in a child
    unsigned long propagation;// MS_PRIVATE, MS_SLAVE or MS_SHARED for / (with MS_REC); 0 leaves it
    int mount_proc;           // mount a new proc on /proc (unshare --mount-proc)
    const char *hostname;     // NULL leaves it
};

// Returns the child's pid (blocked, waiting for release), or -1 with errno. *sync_fd is
// the pipe that releases it, *report_fd the pipe its records come from.
pid_t boxlab_launch_start(const struct boxlab_launch *spec, int *sync_fd, int *report_fd);

// Lets the child go on (one byte on the sync pipe) and closes the parent's end.
// Closing the sync pipe without releasing makes the child exit with status 127.
int boxlab_launch_release(int sync_fd);
