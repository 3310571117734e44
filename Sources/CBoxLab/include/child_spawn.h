#pragma once
#include <sys/types.h>

// Starts a program. The child side runs only async-signal-safe calls between fork
// and exec (Swift code must not run there). The three descriptors become the
// child's 0, 1 and 2; -1 keeps the parent's. SIGINT and SIGQUIT are reset to their
// defaults and the signal mask cleared, so the program can be interrupted.
// Returns the child's pid, or -1 with errno set (exec failures are reported
// through a close-on-exec pipe, so ENOENT for a missing program comes back here).
pid_t boxlab_spawn(const char *path, char *const argv[], char *const envp[], const char *cwd,
                   int stdin_fd, int stdout_fd, int stderr_fd);
