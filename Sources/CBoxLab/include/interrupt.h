#pragma once

// Ctrl-C (SIGINT) handling for the REPL.
//
// A signal handler may only do async-signal-safe things, and Swift code is not
// async-signal-safe (it can allocate, take locks, touch reference counts), so the
// handler lives here in C and does just two things: it counts the signal, and it
// writes one byte to a self-pipe. Swift code then notices Ctrl-C either by polling
// the counter (boxlab_interrupt_pending) or by waiting on the pipe's read end with
// poll()/select() next to the file descriptors it is already waiting on (stdin,
// a child's pipe...): the byte makes poll() return at once, with no race between
// "check the flag" and "go to sleep".

#ifdef __cplusplus
extern "C" {
#endif

/// Installs the SIGINT handler. SA_RESTART is deliberately off, so a blocking
/// read()/wait() in progress fails with EINTR instead of sleeping on. Calling it
/// again is harmless and takes SIGINT back from code that replaced the handler
/// (readline does, see LineEditor). Child processes started with exec get the
/// default SIGINT disposition again.
void boxlab_interrupt_install(void);

/// The self-pipe's read end (non-blocking, close-on-exec): readable after a SIGINT
/// until boxlab_interrupt_take() drains it. -1 before boxlab_interrupt_install().
int boxlab_interrupt_fd(void);

/// Number of SIGINTs since the last call; resets the count and drains the pipe.
int boxlab_interrupt_take(void);

/// Number of SIGINTs since the last boxlab_interrupt_take(), without resetting.
int boxlab_interrupt_pending(void);

#ifdef __cplusplus
}
#endif
