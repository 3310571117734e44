import FoundationEssentials
import Glibc
import Kernel

extension Command {
    /// kill(1). A program BoxLab started is waited for a moment, so the next line sees it gone.
    static let kill = Command(
        "kill", usage: "kill [-s SIGNAL | -SIGNAL] PID...", summary: "send a signal to processes (SIGTERM unless named)",
        rawArguments: true
    ) { call in
        var words = call.operands[...]
        var signal = SIGTERM
        if let first = words.first, first.hasPrefix("-") {
            words = words.dropFirst()
            var name = String(first.dropFirst())
            if first == "-s" || first == "--signal" {
                guard let next = words.first else { throw call.failure("-s needs a signal", cause: "usage: \(call.command.usage)") }
                name = next
                words = words.dropFirst()
            }
            guard let number = Signals.number(name) else { throw call.failure("unknown signal \(name)", cause: "try KILL (9), TERM (15), INT, STOP or CONT") }
            signal = number
        }
        guard !words.isEmpty else { throw call.failure("which process?", cause: "usage: \(call.command.usage)") }
        // Every pid is checked before any signal goes: a refused one stops the line unsent.
        let pids = try words.map { operand in
            guard let pid = Int32(operand), pid > 0 else { throw call.failure("'\(operand)' is not a pid", cause: "kill takes process ids, such as $c1 or $!") }
            try call.requireOwn(pid)
            return pid
        }
        for pid in pids {
            do { try Signals.kill(pid, signal) } catch {
                throw call.failure("(\(pid))", error, cause: (error as? KernelError)?.errno == .ESRCH ? "no such process: it has ended already" : nil)
            }
            guard signal == SIGKILL || signal == SIGTERM || signal == SIGINT else { continue }
            if let termination = call.workbench.jobs.waitForEnd(of: pid, timeout: signal == SIGKILL ? 2 : 0.5) {
                call.write("process \(pid) ended: \(termination)\n")
            } else if call.workbench.jobs.isRunning(pid), signal != SIGKILL {
                call.write("process \(pid) is still running: PID 1 of a namespace ignores signals it has no handler for (only SIGKILL is forced)\n")
            }
        }
    }
}
