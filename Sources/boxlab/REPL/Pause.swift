import CBoxLab
import Glibc

/// Waits `seconds`, or less when Ctrl-C is pressed (it stays pending for the caller to take):
/// the audience's pause of `play` and of a replayed demo. Returns false when Ctrl-C ended it.
func pause(seconds: Double) -> Bool {
    let clock = ContinuousClock()
    let end = clock.now + .milliseconds(Int((seconds * 1000).rounded()))
    while boxlab_interrupt_pending() == 0 {
        let left = clock.now.duration(to: end)
        guard left > .zero else { return true }
        // Polled, as the steps poll it: a tenth of a second is soon enough to stop.
        usleep(UInt32(min(left, .milliseconds(100)) / .microseconds(1)))
    }
    return false
}
