// See include/interrupt.h for why this is C and not Swift.
#define _GNU_SOURCE
#include "interrupt.h"

#include <errno.h>
#include <fcntl.h>
#include <signal.h>
#include <string.h>
#include <unistd.h>

// The count of SIGINTs not yet taken. volatile sig_atomic_t is the type C
// guarantees a handler may write; the __atomic builtins on top make the
// handler's increment and take()'s read-and-reset indivisible, because the
// signal may be delivered on any thread, even while take() runs on another.
static volatile sig_atomic_t interrupt_count = 0;
static int pipe_fds[2] = {-1, -1};

static void on_sigint(int sig) {
    (void)sig;
    int saved_errno = errno;  // write() may clobber errno of the interrupted code
    __atomic_add_fetch(&interrupt_count, 1, __ATOMIC_SEQ_CST);
    char byte = 0;
    // Non-blocking: if the pipe is full, a wake-up byte is already waiting.
    ssize_t ignored = write(pipe_fds[1], &byte, 1);
    (void)ignored;
    errno = saved_errno;
}

void boxlab_interrupt_install(void) {
    if (pipe_fds[0] < 0 && pipe2(pipe_fds, O_CLOEXEC | O_NONBLOCK) != 0) {
        pipe_fds[0] = pipe_fds[1] = -1;
        return;
    }
    struct sigaction sa;
    memset(&sa, 0, sizeof sa);
    sa.sa_handler = on_sigint;
    sigemptyset(&sa.sa_mask);
    sa.sa_flags = 0;  // no SA_RESTART: blocking calls return EINTR and notice Ctrl-C
    sigaction(SIGINT, &sa, NULL);
}

int boxlab_interrupt_fd(void) {
    return pipe_fds[0];
}

int boxlab_interrupt_take(void) {
    // Drain before reading the count: a signal landing in between leaves a byte
    // in the pipe and a count of at least 1, never a byte without a count.
    char buffer[64];
    if (pipe_fds[0] >= 0) {
        while (read(pipe_fds[0], buffer, sizeof buffer) > 0) {}
    }
    return __atomic_exchange_n(&interrupt_count, 0, __ATOMIC_SEQ_CST);
}

int boxlab_interrupt_pending(void) {
    return __atomic_load_n(&interrupt_count, __ATOMIC_SEQ_CST);
}
