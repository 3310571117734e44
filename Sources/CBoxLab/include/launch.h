#pragma once
#include <stdint.h>
#include <sys/types.h>

// Starts a program in new and joined namespaces, the way unshare(1), nsenter(1) and the
// container runtimes do, in two phases:
//
//   1. boxlab_launch_start clones the child with the new namespaces (CLONE_NEW* in
//      clone_flags), into a cgroup2 group when cgroup_fd names one (clone3 with
//      CLONE_INTO_CGROUP). The child blocks on a socket before it does anything else, so
//      the parent can write its uid_map/gid_map and journal it first.
//   2. boxlab_launch_release lets it go. The child then joins its cgroup v1 groups by
//      writing 0 to the `tasks` files in task_fds (0 is the calling thread, the child's
//      only one: unlike a pid written to cgroup.procs, it takes no global lock, whose
//      writer waits for an RCU grace period, milliseconds), joins the namespaces in
//      join_fds (in that order; setns), unshares unshare_flags (a time namespace cannot
//      be made by clone), forks once more if asked (setns into a PID namespace and
//      unshare of a time namespace move only the caller's children), sets the propagation of /,
//      mounts /proc, sets the hostname, wires stdio, changes directory, runs the setup
//      operations the release carried (mounts, device nodes, pivot_root, capabilities: a
//      container's root, see boxlab_setup_op), and execs.
//
// A held child (held = 1) does not exec after its first operations: it reports a
// BOXLAB_CALL_BATCH_DONE record and waits for the next batch on the sync socket, until a
// batch ends with BOXLAB_OP_EXEC. That is a process stopped between clone and exec, set
// up one command at a time, as a learner builds a container by hand. A failed operation
// ends a held child's batch, not the child.
//
// The reports are buffered and sent in one write before the child execs, forks, leaves or
// waits for a batch, so the parent wakes once per batch rather than once per call.
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
    BOXLAB_CALL_OP,          // argument: the operation's index, counted over all batches
    BOXLAB_CALL_BATCH_DONE,  // a held child finished a batch and waits for the next
    BOXLAB_CALL_JOIN_CGROUP, // argument: the index in task_fds
    BOXLAB_CALL_OP_FOLLOW_UP,// argument: the operation's index; its second call (see below)
};

// One setup operation. A batch is a sequence of them, each a boxlab_setup_op followed by
// `strings` NUL-terminated strings (`size` bytes in all), sent as a 32-bit byte count and
// the bytes.
enum boxlab_setup_kind {
    BOXLAB_OP_MOUNT = 1,     // source, target, fstype, data ("" is NULL); flags
    BOXLAB_OP_UMOUNT,        // target; flags
    BOXLAB_OP_MKDIR,         // path; number: mode; flags 1: an existing directory is fine
    BOXLAB_OP_MKNOD,         // path; number: mode (with the type); flags: the device number
    BOXLAB_OP_SYMLINK,       // target, path
    BOXLAB_OP_CHDIR,         // path
    BOXLAB_OP_PIVOT_ROOT,    // new root, put old
    BOXLAB_OP_CHROOT,        // path
    BOXLAB_OP_SETHOSTNAME,   // name
    BOXLAB_OP_CAPBSET_DROP,  // number: the capability
    BOXLAB_OP_CAPSET,        // number: the capabilities kept (effective, permitted, inheritable)
    BOXLAB_OP_NO_NEW_PRIVS,
    BOXLAB_OP_EXEC,          // path, then number arguments, then the environment
    BOXLAB_OP_CREATE_FILE,   // path; number: mode (an empty file, a bind mount's target)
    BOXLAB_OP_CHMOD,         // path; number: mode (mknod's mode is cut by the umask)
    BOXLAB_OP_MASK,          // path: /dev/null bound over a file, a read-only tmpfs on a directory
    BOXLAB_OP_READONLY,      // path bound on itself, then remounted read-only; flags: kept (MS_NOSUID…)
    BOXLAB_OP_RESOLVE_IN_ROOT, // root, path: opened O_PATH|O_DIRECTORY with RESOLVE_IN_ROOT|RESOLVE_NO_SYMLINKS|RESOLVE_NO_MAGICLINKS
    BOXLAB_OP_SECCOMP,       // the filter's instructions in hex; number: how many (seccomp SECCOMP_SET_MODE_FILTER)
    BOXLAB_OP_SETRESUID,     // number: the uid (real, effective and saved)
    BOXLAB_OP_SETRESGID,     // number: the gid (real, effective and saved)
    BOXLAB_OP_CLEAR_GROUPS,  // setgroups(0, NULL)
    BOXLAB_OP_KEEPCAPS,      // number: PR_SET_KEEPCAPS 1 (the permitted set survives a change away from uid 0) or 0
    BOXLAB_OP_CAP_INHERITABLE, // number: capabilities added, flags: removed; capget, then capset (its follow-up)
    BOXLAB_OP_CAP_AMBIENT,   // number: the capability; flags: PR_CAP_AMBIENT_RAISE, _LOWER or _CLEAR_ALL
    BOXLAB_OP_DUMPABLE,      // PR_SET_DUMPABLE 1
    BOXLAB_OP_UNSHARE,       // number: the CLONE_NEW* flags
    BOXLAB_OP_WRITE_OWN,     // path (/proc/self/uid_map, gid_map or setgroups), text: written in one write
};

// An inheritable set is two calls too: capget (the record BOXLAB_CALL_OP), then capset of
// the same effective and permitted sets (BOXLAB_CALL_OP_FOLLOW_UP).
//
// A masked or read-only path is runc's two calls: the first one's record is BOXLAB_CALL_OP,
// the second's BOXLAB_CALL_OP_FOLLOW_UP. A path the kernel does not have (ENOENT) is
// skipped; a masked directory (the bind of /dev/null fails with ENOTDIR) gets the tmpfs.

struct boxlab_setup_op {
    uint32_t kind;
    uint32_t strings;
    uint32_t size;
    uint32_t padding;
    uint64_t number;
    uint64_t flags;
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
    int held;                 // wait for batches of setup operations until one execs
    int cgroup_fd;            // -1, or a cgroup2 directory the child is cloned into
    const int *task_fds;      // cgroup v1 `tasks` files, opened for writing by the parent
    int task_count;
};

// Returns the child's pid (blocked, waiting for release), or -1 with errno. *sync_fd is
// the socket that releases it, *report_fd the pipe its records come from.
pid_t boxlab_launch_start(const struct boxlab_launch *spec, int *sync_fd, int *report_fd);

// Lets the child go on with its first batch of setup operations (size may be 0) and,
// unless it is held, closes the parent's end. Closing the sync socket without releasing
// makes the child exit with status 127.
int boxlab_launch_release(int sync_fd, const void *batch, uint32_t size, int held);

// Sends a held child its next batch.
int boxlab_launch_send(int sync_fd, const void *batch, uint32_t size);

// sizeof(struct clone_args), clone3's second argument, for the trace.
extern const unsigned int boxlab_clone_args_size;
