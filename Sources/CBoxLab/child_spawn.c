#define _GNU_SOURCE
#include "child_spawn.h"
#include "child_signals.h"

#include <errno.h>
#include <fcntl.h>
#include <signal.h>
#include <sys/wait.h>
#include <unistd.h>

static void child(const char *path, char *const argv[], char *const envp[], const char *cwd,
                  const int fds[3], int report) {
    boxlab_child_default_signals();
    for (int i = 0; i < 3; i++) {
        if (fds[i] >= 0 && fds[i] != i && dup2(fds[i], i) < 0) goto failed;
    }
    if (cwd && chdir(cwd) != 0) goto failed;
    execve(path, argv, envp);
failed:;
    int saved = errno;
    (void)!write(report, &saved, sizeof saved);
    _exit(127);
}

pid_t boxlab_spawn(const char *path, char *const argv[], char *const envp[], const char *cwd,
                   int stdin_fd, int stdout_fd, int stderr_fd) {
    int report[2];
    if (pipe2(report, O_CLOEXEC) != 0) return -1;
    const int fds[3] = {stdin_fd, stdout_fd, stderr_fd};
    pid_t pid = fork();
    if (pid < 0) { int saved = errno; close(report[0]); close(report[1]); errno = saved; return -1; }
    if (pid == 0) { close(report[0]); child(path, argv, envp, cwd, fds, report[1]); }
    close(report[1]);
    int child_errno = 0;
    ssize_t n;
    do n = read(report[0], &child_errno, sizeof child_errno); while (n < 0 && errno == EINTR);
    close(report[0]);
    if (n == sizeof child_errno) {
        while (waitpid(pid, NULL, 0) < 0 && errno == EINTR) {}
        errno = child_errno;
        return -1;
    }
    return pid;
}
