import Kernel

extension Command {
    static let sleep = Command("sleep", usage: "sleep SECONDS", summary: "wait (seconds, decimals allowed)") { call in
        try call.requireOperands(1...1)
        guard let seconds = Double(call.operands[0]), seconds >= 0, seconds <= 3600 else {
            throw call.failure("invalid time interval '\(call.operands[0])'", cause: "seconds, such as 1 or 0.5 (at most an hour)")
        }
        do { try Pause.sleep(seconds) } catch { throw call.failure("cannot sleep", error) }
    }
}
