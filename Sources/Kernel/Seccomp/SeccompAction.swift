/// What a seccomp filter returns for a system call (seccomp(2)): the action in the high
/// 16 bits, its data (an errno) in the low ones. The kernel takes the most restrictive
/// verdict of all the filters a process has.
public struct SeccompAction: Sendable, Hashable, CustomStringConvertible {
    public let rawValue: UInt32

    public init(rawValue: UInt32) { self.rawValue = rawValue }

    /// SECCOMP_RET_ALLOW: the call runs.
    public static let allow = SeccompAction(rawValue: 0x7fff_0000)
    /// SECCOMP_RET_KILL_PROCESS: the whole process dies of SIGSYS.
    public static let killProcess = SeccompAction(rawValue: 0x8000_0000)
    /// SECCOMP_RET_KILL_THREAD: the calling thread dies.
    public static let killThread = SeccompAction(rawValue: 0)
    /// SECCOMP_RET_TRAP: SIGSYS is sent, which the program may handle.
    public static let trap = SeccompAction(rawValue: 0x0003_0000)
    /// SECCOMP_RET_LOG: the call runs and is logged.
    public static let log = SeccompAction(rawValue: 0x7ffc_0000)
    /// SECCOMP_RET_USER_NOTIF: a supervisor holding the filter's descriptor decides.
    public static let notify = SeccompAction(rawValue: 0x7fc0_0000)

    /// SECCOMP_RET_ERRNO: the call does not run and returns -1 with `errno` (at most 4095).
    public static func errno(_ errno: Errno) -> SeccompAction {
        SeccompAction(rawValue: 0x0005_0000 | (UInt32(bitPattern: errno.rawValue) & 0xffff))
    }

    /// The verdict of several filters: the action that comes first in seccomp(2)'s order
    /// (KILL_PROCESS, KILL_THREAD, TRAP, ERRNO, USER_NOTIF, TRACE, LOG, ALLOW), and of two
    /// alike, the one of the filter loaded last (`actions` in the order they were loaded).
    public static func strictest(_ actions: [SeccompAction]) -> SeccompAction {
        let order: [UInt32] = [killProcess.rawValue, killThread.rawValue, trap.rawValue, 0x0005_0000, notify.rawValue, 0x7ff0_0000, log.rawValue, allow.rawValue]
        func rank(_ action: SeccompAction) -> Int { order.firstIndex(of: action.rawValue & 0xffff_0000) ?? 0 }
        return actions.reversed().min { rank($0) < rank($1) } ?? allow
    }

    /// As seccomp-tools prints a verdict: `ALLOW`, `KILL_PROCESS`, `ERRNO(1)`.
    public var description: String {
        switch rawValue & 0xffff_0000 {
        case Self.allow.rawValue: "ALLOW"
        case Self.killProcess.rawValue: "KILL_PROCESS"
        case Self.killThread.rawValue: "KILL"
        case Self.trap.rawValue: "TRAP"
        case Self.log.rawValue: "LOG"
        case Self.notify.rawValue: "USER_NOTIF"
        case 0x0005_0000: "ERRNO(\(rawValue & 0xffff))"
        default: "0x" + String(rawValue, radix: 16)
        }
    }
}
