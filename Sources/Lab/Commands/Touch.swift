import Kernel

extension Command {
    static let touch = Command("touch", usage: "touch FILE...", summary: "create empty files", runsInChild: true) { call in
        try call.requireOperands(1...Int.max)
        for operand in call.operands {
            // The place a device node is bind-mounted on, where the process being set up
            // may not make the node itself (rootless containers, BoxLab's sandbox).
            try call.perform([.createFile(operand, permissions: 0o644)], "cannot touch '\(operand)'")
        }
    }
}
