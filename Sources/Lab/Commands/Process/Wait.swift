extension Command {
    /// The shell's `wait`: until programs started with `&` end, then how each ended.
    static let wait = Command("wait", usage: "wait PID...", summary: "wait for programs started with & to end") { call in
        try call.requireOperands(1...Int.max)
        for operand in call.operands {
            guard let pid = Int32(operand), call.workbench.jobs.isRunning(pid) || call.workbench.jobs.termination(of: pid) != nil else {
                throw call.failure("pid \(operand) is not a program started here with &", cause: "wait takes the pid of a program this session started ($!)")
            }
            guard let termination = call.workbench.jobs.waitForEnd(of: pid, timeout: 120) else {
                throw call.failure("process \(pid) is still running after two minutes")
            }
            call.write("process \(pid) ended: \(termination)\n")
        }
    }
}
