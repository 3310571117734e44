#pragma once
#include <signal.h>

// In a child between fork and exec: the program gets default signal handling and an empty
// mask, whatever BoxLab's threads had (dispatch blocks SIGINT, the REPL ignores SIGPIPE), so
// Ctrl-C and a closed pipe end it as they would end it from a shell.
static inline void boxlab_child_default_signals(void) {
    sigset_t none;
    sigemptyset(&none);
    sigprocmask(SIG_SETMASK, &none, NULL);
    signal(SIGINT, SIG_DFL);
    signal(SIGQUIT, SIG_DFL);
    signal(SIGPIPE, SIG_DFL);
}
