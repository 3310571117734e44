#pragma once
#include <sys/types.h>

// posix_spawn for boxlab-bench. Swift cannot call glibc's posix_spawn in targets that see
// CBoxLab: CBoxLab's include/spawn.h is found first for the Glibc module's <spawn.h>, so
// the module has boxlab_spawn instead of posix_spawn. This file is compiled without CBoxLab.
//
// Starts `path` as a foreground job would be: stdin, stdout and stderr from the three
// descriptors, SIGINT, SIGQUIT, SIGPIPE, SIGALRM and SIGTERM at their defaults, no signal
// blocked, and in a new process group (its pid), so that killing -pid ends it and every
// process it started. Returns the pid, or -errno.
pid_t bench_spawn(const char *path, char *const argv[], char *const envp[],
                  int stdin_fd, int stdout_fd, int stderr_fd);

// Makes this process the reaper of its orphaned descendants (PR_SET_CHILD_SUBREAPER), so
// that when a child's process group is killed, the grandchildren come back to it to be
// reaped instead of to init. Returns 0, or -errno.
int bench_become_subreaper(void);
