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
