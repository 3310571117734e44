import Glibc

/// A deadline for a blocking wait4(2): SIGALRM, caught by a handler that does nothing and
/// installed without SA_RESTART, makes the wait fail with EINTR instead of sleeping on.
enum Alarm {
    static func install() {
        var action = sigaction()
        action.__sigaction_handler.sa_handler = { _ in }
        sigemptyset(&action.sa_mask)
        action.sa_flags = 0
        sigaction(SIGALRM, &action, nil)
    }

    /// Fires once after `nanoseconds` (rounded up to a millisecond); 0 cancels.
    static func arm(_ nanoseconds: UInt64) {
        let milliseconds = nanoseconds == 0 ? 0 : (nanoseconds + 999_999) / 1_000_000
        var timer = itimerval()
        timer.it_value.tv_sec = Int(milliseconds / 1000)
        timer.it_value.tv_usec = Int(milliseconds % 1000) * 1000
        setitimer(__itimer_which_t(ITIMER_REAL.rawValue), &timer, nil)
    }
}
