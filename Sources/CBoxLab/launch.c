#define _GNU_SOURCE
#include "launch.h"
#include "child_signals.h"

#include <errno.h>
#include <fcntl.h>
#include <sched.h>
#include <signal.h>
#include <string.h>
#include <sys/mount.h>
#include <sys/syscall.h>
#include <sys/wait.h>
#include <unistd.h>

static void report(int fd, int call, int argument, int64_t result, int error) {
    struct boxlab_launch_record record = {
        .call = call, .argument = argument, .result = result, .error = error,
    };
    (void)!write(fd, &record, sizeof record);
}

// Makes the call, reports it, and leaves the child on failure.
#define STEP(fd, call, argument, expression)                                   \
    do {                                                                       \
        long result_ = (long)(expression);                                     \
        int error_ = result_ == -1 ? errno : 0;                                \
        report(fd, call, argument, result_, error_);                           \
        if (result_ == -1) _exit(127);                                         \
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

static void child(const struct boxlab_launch *spec, int sync, int rep) {
    boxlab_child_default_signals();

    char go = 0;
    ssize_t n;
    do n = read(sync, &go, 1); while (n < 0 && errno == EINTR);
    if (n != 1) _exit(127);  // the parent gave up on us
    close(sync);

    for (int i = 0; i < spec->join_count; i++) {
        STEP(rep, BOXLAB_CALL_SETNS, i, setns(spec->join_fds[i], spec->join_types[i]));
    }
    if (spec->unshare_flags) STEP(rep, BOXLAB_CALL_UNSHARE, 0, unshare(spec->unshare_flags));
    if (spec->fork_after_join) {
        // The new process waits at a gate until its parent has reported the fork, so the
        // parent's record comes first and the records after it are the new process's.
        int gate[2];
        if (pipe2(gate, O_CLOEXEC) != 0) _exit(127);
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
    execve(spec->path, spec->argv, spec->envp);
    report(rep, BOXLAB_CALL_EXECVE, 0, -1, errno);
    _exit(127);
}

pid_t boxlab_launch_start(const struct boxlab_launch *spec, int *sync_fd, int *report_fd) {
    int sync[2], rep[2];
    if (pipe2(sync, O_CLOEXEC) != 0) return -1;
    if (pipe2(rep, O_CLOEXEC) != 0) {
        int saved = errno;
        close(sync[0]); close(sync[1]);
        errno = saved;
        return -1;
    }
    // clone(2) without CLONE_VM is a fork with namespaces; the raw call because glibc's
    // clone wrapper wants a stack and a function.
    pid_t pid = (pid_t)syscall(SYS_clone, (unsigned long)spec->clone_flags | SIGCHLD, NULL, NULL, NULL, 0);
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

int boxlab_launch_release(int sync_fd) {
    char go = 1;
    ssize_t n;
    do n = write(sync_fd, &go, 1); while (n < 0 && errno == EINTR);
    int saved = errno;
    close(sync_fd);
    errno = saved;
    return n == 1 ? 0 : -1;
}
