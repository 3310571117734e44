#define _GNU_SOURCE
#include "launch.h"
#include "child_signals.h"
#include "gnu.h"

#include <errno.h>
#include <fcntl.h>
#include <grp.h>
#include <linux/capability.h>
#include <linux/filter.h>
#include <linux/openat2.h>
#include <linux/seccomp.h>
#include <sched.h>
#include <signal.h>
#include <string.h>
#include <sys/mount.h>
#include <sys/prctl.h>
#include <sys/socket.h>
#include <sys/stat.h>
#include <sys/syscall.h>
#include <sys/wait.h>
#include <unistd.h>
#include <linux/sched.h>

#ifndef CLONE_INTO_CGROUP
#define CLONE_INTO_CGROUP 0x200000000ULL
#endif

// Reports wait in a buffer and go to the parent in one write when the child is about to
// exec, fork, stop or finish a batch: the parent then wakes once, not once per call (a
// container's setup is about a hundred calls, and each wake-up is a context switch).
static struct boxlab_launch_record pending[256];
static int pending_count;

static void flush(int fd) {
    const char *at = (const char *)pending;
    size_t left = (size_t)pending_count * sizeof *pending;
    while (left > 0) {
        ssize_t n = write(fd, at, left);
        if (n < 0 && errno == EINTR) continue;
        if (n <= 0) break;  // the parent is gone: nobody to tell
        at += n;
        left -= (size_t)n;
    }
    pending_count = 0;
}

static void report(int fd, int call, int argument, int64_t result, int error) {
    if (pending_count == (int)(sizeof pending / sizeof *pending)) flush(fd);
    pending[pending_count++] = (struct boxlab_launch_record){
        .call = call, .argument = argument, .result = result, .error = error,
    };
}

// Tells the parent what happened so far, and ends the child.
static void leave(int fd) {
    flush(fd);
    _exit(127);
}

// Makes the call, reports it, and leaves the child on failure.
#define STEP(fd, call, argument, expression)                                   \
    do {                                                                       \
        long result_ = (long)(expression);                                     \
        int error_ = result_ == -1 ? errno : 0;                                \
        report(fd, call, argument, result_, error_);                           \
        if (result_ == -1) leave(fd);                                          \
    } while (0)

// The intermediate process of a joined PID namespace: it waits for the program and ends
// the way it ended, so the parent's waitpid sees the program's status.
static void relay(pid_t program) {
    int status;
    while (waitpid(program, &status, 0) < 0) {
        if (errno != EINTR) _exit(127);
    }
    if (WIFEXITED(status)) _exit(WEXITSTATUS(status));
    signal(WTERMSIG(status), SIG_DFL);
    kill((pid_t)syscall(SYS_getpid), WTERMSIG(status));
    _exit(128 + WTERMSIG(status));
}

// Reads exactly `size` bytes; 0 at end of file or on an error.
static int read_fully(int fd, void *buffer, size_t size) {
    char *at = buffer;
    while (size > 0) {
        ssize_t n = read(fd, at, size);
        if (n < 0 && errno == EINTR) continue;
        if (n <= 0) return 0;
        at += n;
        size -= (size_t)n;
    }
    return 1;
}

// The batch being run: a static buffer, because malloc is not async-signal-safe.
static char batch[1 << 16];
static char *exec_strings[2048];

// Reads the next batch from the parent; its size, or -1 when the parent is gone.
static long read_batch(int sync) {
    uint32_t size;
    if (!read_fully(sync, &size, sizeof size) || size > sizeof batch) return -1;
    if (size > 0 && !read_fully(sync, batch, size)) return -1;
    return (long)size;
}

// What capget gave an inheritable-set operation, for its capset.
static struct __user_cap_data_struct inheritable_data[2];

static const char *nullable(const char *text) { return *text ? text : NULL; }

// A seccomp filter's instructions, decoded from the batch's hex: static, as the batch is.
static struct sock_filter seccomp_program[BPF_MAXINSNS];

static int hex_digit(char c) {
    if (c >= '0' && c <= '9') return c - '0';
    if (c >= 'a' && c <= 'f') return c - 'a' + 10;
    return -1;
}

// seccomp(SECCOMP_SET_MODE_FILTER) with `count` instructions written as 16 hex digits each.
static long load_seccomp(const char *hex, uint64_t count) {
    if (count == 0 || count > BPF_MAXINSNS || strlen(hex) != count * 2 * sizeof(struct sock_filter)) { errno = EINVAL; return -1; }
    unsigned char *bytes = (unsigned char *)seccomp_program;
    for (size_t i = 0; i < count * sizeof(struct sock_filter); i++) {
        int high = hex_digit(hex[2 * i]), low = hex_digit(hex[2 * i + 1]);
        if (high < 0 || low < 0) { errno = EINVAL; return -1; }
        bytes[i] = (unsigned char)(high << 4 | low);
    }
    struct sock_fprog program = { .len = (unsigned short)count, .filter = seccomp_program };
    return syscall(SYS_seccomp, SECCOMP_SET_MODE_FILTER, 0, &program);
}

// One write of `text` to `path`, the whole of it or an error: the kernel takes a uid_map,
// gid_map or setgroups only in a single write.
static long write_own(const char *path, const char *text) {
    int fd = open(path, O_WRONLY | O_CLOEXEC);
    if (fd < 0) return -1;
    ssize_t length = (ssize_t)strlen(text), written = write(fd, text, (size_t)length);
    int saved = errno;
    close(fd);
    if (written == length) return 0;
    errno = written < 0 ? saved : EIO;
    return -1;
}

// Runs one operation; the call's result (-1 with errno on failure), as the call returns it.
static long run_op(const struct boxlab_setup_op *op, const char **strings) {
    switch (op->kind) {
    case BOXLAB_OP_MOUNT:
        return mount(nullable(strings[0]), strings[1], nullable(strings[2]), (unsigned long)op->flags, nullable(strings[3]));
    case BOXLAB_OP_UMOUNT: return umount2(strings[0], (int)op->flags);
    case BOXLAB_OP_MKDIR: {
        int result = mkdir(strings[0], (mode_t)op->number);
        struct stat status;
        if (result == -1 && errno == EEXIST && op->flags && stat(strings[0], &status) == 0 && S_ISDIR(status.st_mode)) return 0;
        if (result == -1 && errno != EEXIST) return -1;
        return result;
    }
    case BOXLAB_OP_MKNOD: return mknod(strings[0], (mode_t)op->number, (dev_t)op->flags);
    case BOXLAB_OP_SYMLINK: return symlink(strings[0], strings[1]);
    case BOXLAB_OP_CHDIR: return chdir(strings[0]);
    case BOXLAB_OP_PIVOT_ROOT: return syscall(SYS_pivot_root, strings[0], strings[1]);
    case BOXLAB_OP_CHROOT: return chroot(strings[0]);
    case BOXLAB_OP_SETHOSTNAME: return sethostname(strings[0], strlen(strings[0]));
    case BOXLAB_OP_CAPBSET_DROP: return prctl(PR_CAPBSET_DROP, (unsigned long)op->number, 0, 0, 0);
    case BOXLAB_OP_CAPSET: {
        struct __user_cap_header_struct header = { .version = _LINUX_CAPABILITY_VERSION_3, .pid = 0 };
        struct __user_cap_data_struct data[2];
        for (int i = 0; i < 2; i++) {
            uint32_t word = (uint32_t)(op->number >> (32 * i));
            data[i].effective = data[i].permitted = data[i].inheritable = word;
        }
        return syscall(SYS_capset, &header, data);
    }
    // The raw calls: glibc's wrappers make every thread it knows of change ids too (setxid
    // signals), and after a raw clone it still counts the parent's threads.
    case BOXLAB_OP_SETRESUID: return syscall(SYS_setresuid, (uid_t)op->number, (uid_t)op->number, (uid_t)op->number);
    case BOXLAB_OP_SETRESGID: return syscall(SYS_setresgid, (gid_t)op->number, (gid_t)op->number, (gid_t)op->number);
    case BOXLAB_OP_CLEAR_GROUPS: return syscall(SYS_setgroups, 0, NULL);
    case BOXLAB_OP_KEEPCAPS: return prctl(PR_SET_KEEPCAPS, (unsigned long)op->number, 0, 0, 0);
    case BOXLAB_OP_CAP_INHERITABLE: {
        struct __user_cap_header_struct header = { .version = _LINUX_CAPABILITY_VERSION_3, .pid = 0 };
        return syscall(SYS_capget, &header, inheritable_data);
    }
    case BOXLAB_OP_CAP_AMBIENT:
        return prctl(PR_CAP_AMBIENT, (unsigned long)op->flags, op->flags == PR_CAP_AMBIENT_CLEAR_ALL ? 0 : (unsigned long)op->number, 0, 0);
    case BOXLAB_OP_CHMOD: return chmod(strings[0], (mode_t)op->number);
    case BOXLAB_OP_NO_NEW_PRIVS: return prctl(PR_SET_NO_NEW_PRIVS, 1, 0, 0, 0);
    case BOXLAB_OP_SECCOMP: return load_seccomp(strings[0], op->number);
    case BOXLAB_OP_DUMPABLE: return prctl(PR_SET_DUMPABLE, 1, 0, 0, 0);
    case BOXLAB_OP_UNSHARE: return syscall(SYS_unshare, (int)op->number);
    case BOXLAB_OP_WRITE_OWN: return write_own(strings[0], strings[1]);
    case BOXLAB_OP_MASK: return mount("/dev/null", strings[0], NULL, MS_BIND, NULL);
    case BOXLAB_OP_READONLY: return mount(strings[0], strings[0], NULL, MS_BIND | MS_REC, NULL);
    case BOXLAB_OP_RESOLVE_IN_ROOT: {
        // The kernel walks the path as if the root were /: `..` stops there, and no symlink
        // (the image's, or /proc's magic links) is followed at all.
        int root = open(strings[0], O_PATH | O_DIRECTORY | O_CLOEXEC);
        if (root < 0) return -1;
        int fd = boxlab_openat2(root, strings[1], O_PATH | O_DIRECTORY | O_NOFOLLOW | O_CLOEXEC, 0,
                                RESOLVE_IN_ROOT | RESOLVE_NO_SYMLINKS | RESOLVE_NO_MAGICLINKS);
        int saved = errno;
        close(root);
        if (fd >= 0) close(fd);
        errno = saved;
        return fd;
    }
    case BOXLAB_OP_CREATE_FILE: {
        int fd = open(strings[0], O_WRONLY | O_CREAT | O_CLOEXEC | O_NOFOLLOW, (mode_t)op->number);
        if (fd < 0) return -1;
        close(fd);
        return 0;
    }
    case BOXLAB_OP_EXEC: {
        uint32_t count = op->strings;
        if (count + 2 > sizeof exec_strings / sizeof *exec_strings) { errno = E2BIG; return -1; }
        // path, the arguments, NULL, the environment, NULL
        uint32_t arguments = (uint32_t)op->number;
        for (uint32_t i = 0; i < arguments; i++) exec_strings[i] = (char *)strings[1 + i];
        exec_strings[arguments] = NULL;
        for (uint32_t i = 1 + arguments; i < count; i++) exec_strings[i] = (char *)strings[i];
        exec_strings[count] = NULL;
        return execve(strings[0], exec_strings, exec_strings + arguments + 1);
    }
    default: errno = EINVAL; return -1;
    }
}

enum { NO_FOLLOW_UP = -2 };

// The second call of a masked or read-only path, as runc makes it, given how the first
// ended; NO_FOLLOW_UP when there is none.
static long follow_up(const struct boxlab_setup_op *op, const char **strings, long result, int error) {
    if (op->kind == BOXLAB_OP_MASK && result == -1 && error == ENOTDIR) {
        return mount("tmpfs", strings[0], "tmpfs", MS_RDONLY, NULL);
    }
    if (op->kind == BOXLAB_OP_READONLY && result == 0) {
        return mount(strings[0], strings[0], NULL, MS_BIND | MS_REMOUNT | MS_RDONLY | (unsigned long)op->flags, NULL);
    }
    if (op->kind == BOXLAB_OP_CAP_INHERITABLE && result == 0) {
        struct __user_cap_header_struct header = { .version = _LINUX_CAPABILITY_VERSION_3, .pid = 0 };
        for (int i = 0; i < 2; i++) {
            uint32_t add = (uint32_t)(op->number >> (32 * i)), removed = (uint32_t)(op->flags >> (32 * i));
            inheritable_data[i].inheritable = (inheritable_data[i].inheritable & ~removed) | add;
        }
        return syscall(SYS_capset, &header, inheritable_data);
    }
    return NO_FOLLOW_UP;
}

// A path this kernel does not have is not masked or made read-only: there is nothing to hide.
static int skipped(const struct boxlab_setup_op *op, int error) {
    return (op->kind == BOXLAB_OP_MASK || op->kind == BOXLAB_OP_READONLY) && error == ENOENT;
}

// Runs a batch, reporting each operation. A failure ends the batch; outside a held child
// it ends the child too. Returns 0 when every operation succeeded.
static int run_batch(long size, int rep, int held, int32_t *counter) {
    const char *strings[2048];
    long at = 0;
    while (at + (long)sizeof(struct boxlab_setup_op) <= size) {
        struct boxlab_setup_op op;
        memcpy(&op, batch + at, sizeof op);
        at += sizeof op;
        if (op.strings > sizeof strings / sizeof *strings || at + op.size > size) _exit(127);
        const char *text = batch + at;
        for (uint32_t i = 0; i < op.strings; i++) {
            strings[i] = text;
            text += strlen(text) + 1;
        }
        at += op.size;
        // A successful exec reports nothing more: what is pending goes first.
        if (op.kind == BOXLAB_OP_EXEC) flush(rep);
        long result = run_op(&op, strings);
        int error = result == -1 ? errno : 0;
        int index = (*counter)++;
        report(rep, BOXLAB_CALL_OP, index, result, error);
        long second = follow_up(&op, strings, result, error);
        if (second != NO_FOLLOW_UP) {
            result = second;
            report(rep, BOXLAB_CALL_OP_FOLLOW_UP, index, result, result == -1 ? errno : 0);
        } else if (result == -1 && skipped(&op, error)) {
            result = 0;
        }
        if (result == -1) {
            if (!held) leave(rep);
            return -1;
        }
    }
    return 0;
}

static void child(const struct boxlab_launch *spec, int sync, int rep) {
    boxlab_child_default_signals();

    long size = read_batch(sync);
    if (size < 0) _exit(127);  // the parent gave up on us
    if (!spec->held) close(sync);

    // First, before anything it does is charged elsewhere: the parent opened the files, so
    // the kernel checks the parent's credentials, not those of a new user namespace.
    for (int i = 0; i < spec->task_count; i++) {
        STEP(rep, BOXLAB_CALL_JOIN_CGROUP, i, write(spec->task_fds[i], "0", 1));
    }
    for (int i = 0; i < spec->join_count; i++) {
        STEP(rep, BOXLAB_CALL_SETNS, i, setns(spec->join_fds[i], spec->join_types[i]));
    }
    if (spec->unshare_flags) STEP(rep, BOXLAB_CALL_UNSHARE, 0, unshare(spec->unshare_flags));
    if (spec->fork_after_join) {
        // The new process waits at a gate until its parent has reported the fork, so the
        // parent's record comes first and the records after it are the new process's.
        int gate[2];
        if (pipe2(gate, O_CLOEXEC) != 0) leave(rep);
        // What is reported so far is this process's, not a copy for the new one to send again.
        flush(rep);
        // fork(3) would take glibc's locks, which another thread of the parent may have
        // held at the clone: the raw call.
        pid_t program = (pid_t)syscall(SYS_clone, (unsigned long)SIGCHLD, NULL, NULL, NULL, 0);
        if (program == 0) {
            close(gate[1]);
            char open_ = 0;
            ssize_t got;
            do got = read(gate[0], &open_, 1); while (got < 0 && errno == EINTR);
            if (got != 1) _exit(127);
            close(gate[0]);
        } else {
            close(gate[0]);
            STEP(rep, BOXLAB_CALL_FORK, 0, program);
            flush(rep);
            char open_ = 1;
            (void)!write(gate[1], &open_, 1);
            close(gate[1]);
            close(rep);
            relay(program);
        }
    }
    if (spec->propagation) {
        STEP(rep, BOXLAB_CALL_MOUNT_PROPAGATION, 0, mount(NULL, "/", NULL, MS_REC | spec->propagation, NULL));
    }
    if (spec->mount_proc) {
        STEP(rep, BOXLAB_CALL_MOUNT_PROC, 0, mount("proc", "/proc", "proc", MS_NOSUID | MS_NODEV | MS_NOEXEC, NULL));
    }
    if (spec->hostname) {
        STEP(rep, BOXLAB_CALL_SETHOSTNAME, 0, sethostname(spec->hostname, strlen(spec->hostname)));
    }
    for (int i = 0; i < 3; i++) {
        if (spec->stdio[i] >= 0 && spec->stdio[i] != i) STEP(rep, BOXLAB_CALL_DUP2, i, dup2(spec->stdio[i], i));
    }
    if (spec->cwd) STEP(rep, BOXLAB_CALL_CHDIR, 0, chdir(spec->cwd));
    int32_t counter = 0;
    run_batch(size, rep, spec->held, &counter);
    while (spec->held) {
        report(rep, BOXLAB_CALL_BATCH_DONE, 0, 0, 0);
        flush(rep);
        size = read_batch(sync);
        if (size < 0) _exit(127);
        run_batch(size, rep, 1, &counter);
    }
    flush(rep);
    execve(spec->path, spec->argv, spec->envp);
    report(rep, BOXLAB_CALL_EXECVE, 0, -1, errno);
    leave(rep);
}

pid_t boxlab_launch_start(const struct boxlab_launch *spec, int *sync_fd, int *report_fd) {
    int sync[2], rep[2];
    // A socket pair rather than a pipe: the parent sends with MSG_NOSIGNAL, so a held child
    // that was killed gives EPIPE, not a SIGPIPE that would end BoxLab.
    if (socketpair(AF_UNIX, SOCK_STREAM | SOCK_CLOEXEC, 0, sync) != 0) return -1;
    if (pipe2(rep, O_CLOEXEC) != 0) {
        int saved = errno;
        close(sync[0]); close(sync[1]);
        errno = saved;
        return -1;
    }
    // clone(2) without CLONE_VM is a fork with namespaces; the raw call because glibc's
    // clone wrapper wants a stack and a function. Into a cgroup2 group, clone3: the child
    // is born there, and nobody has to move it.
    pid_t pid;
    if (spec->cgroup_fd >= 0) {
        struct clone_args args = {
            .flags = (uint64_t)(unsigned)spec->clone_flags | CLONE_INTO_CGROUP,
            .exit_signal = SIGCHLD,
            .cgroup = (uint64_t)spec->cgroup_fd,
        };
        pid = (pid_t)syscall(SYS_clone3, &args, sizeof args);
    } else {
        pid = (pid_t)syscall(SYS_clone, (unsigned long)spec->clone_flags | SIGCHLD, NULL, NULL, NULL, 0);
    }
    if (pid == 0) {
        close(sync[1]);
        close(rep[0]);
        child(spec, sync[0], rep[1]);
    }
    int saved = errno;
    close(sync[0]);
    close(rep[1]);
    if (pid < 0) {
        close(sync[1]); close(rep[0]);
        errno = saved;
        return -1;
    }
    *sync_fd = sync[1];
    *report_fd = rep[0];
    return pid;
}

int boxlab_launch_send(int sync_fd, const void *bytes, uint32_t size) {
    const char *at = (const char *)&size;
    for (size_t left = sizeof size; left > 0;) {
        ssize_t n = send(sync_fd, at, left, MSG_NOSIGNAL);
        if (n < 0 && errno == EINTR) continue;
        if (n < 0) return -1;
        at += n; left -= (size_t)n;
    }
    at = bytes;
    for (size_t left = size; left > 0;) {
        ssize_t n = send(sync_fd, at, left, MSG_NOSIGNAL);
        if (n < 0 && errno == EINTR) continue;
        if (n < 0) return -1;
        at += n; left -= (size_t)n;
    }
    return 0;
}

int boxlab_launch_release(int sync_fd, const void *bytes, uint32_t size, int held) {
    int result = boxlab_launch_send(sync_fd, bytes, size);
    if (held && result == 0) return 0;
    int saved = errno;
    close(sync_fd);
    errno = saved;
    return result;
}

const unsigned int boxlab_clone_args_size = sizeof(struct clone_args);
