#if canImport(Glibc)
import Glibc
#endif
import CBoxLab

public enum Signals {
    /// Sends `signal` to `pid`.
    ///
    /// The corresponding C function is `kill`.
    public static func kill(_ pid: Int32, _ signal: Int32) throws(KernelError) {
        try syscall("kill", [String(pid), signalName(signal)]) { Glibc.kill(pid, signal) }
    }

    public static func signalName(_ signal: Int32) -> String {
        switch signal {
        case SIGKILL: "SIGKILL"
        case SIGTERM: "SIGTERM"
        case SIGINT: "SIGINT"
        case SIGHUP: "SIGHUP"
        case SIGSTOP: "SIGSTOP"
        case SIGCONT: "SIGCONT"
        case SIGCHLD: "SIGCHLD"
        case 0: "0"
        default: String(cString: strsignal(signal))
        }
    }
}

extension Signals {
    /// The signals `kill` takes by name (`-KILL`, `-9`, `-s TERM`).
    public static let catalogue: [(name: String, number: Int32)] = [
        ("HUP", SIGHUP), ("INT", SIGINT), ("QUIT", SIGQUIT), ("KILL", SIGKILL), ("USR1", SIGUSR1), ("USR2", SIGUSR2),
        ("TERM", SIGTERM), ("CONT", SIGCONT), ("STOP", SIGSTOP), ("1", SIGHUP), ("2", SIGINT), ("9", SIGKILL), ("15", SIGTERM),
        // No signal: kill(2) only checks that the process exists and may be signalled.
        ("0", 0),
    ]

    /// A signal by its name, with or without SIG, or its number.
    public static func number(_ name: String) -> Int32? {
        let bare = name.uppercased().hasPrefix("SIG") ? String(name.uppercased().dropFirst(3)) : name.uppercased()
        return catalogue.first { $0.name == bare }?.number
    }
}
