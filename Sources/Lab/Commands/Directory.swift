import Kernel

extension Command {
    static let cd = Command("cd", usage: "cd [DIR]", summary: "change the current directory (default: the workspace)", runsInChild: true) { call in
        try call.requireOperands(0...1)
        if call.inChild {
            guard let operand = call.operands.first else { throw call.failure("which directory?", cause: "the process being set up has no workspace to go back to: name the directory") }
            return try call.perform([.changeDirectory(operand)], operand)
        }
        guard let operand = call.operands.first else { call.workspace.resetCurrent(); return }
        let target = try call.path(operand, for: .read)
        do {
            guard try FileSystem.stat(target).type == .directory else { throw call.failure("\(operand): Not a directory") }
        } catch let error as KernelError {
            throw call.failure(operand, error)
        }
        call.workspace.changeDirectory(to: target)
    }

    static let pwd = Command("pwd", usage: "pwd", summary: "print the current directory") { call in
        try call.requireOperands(0...0)
        call.write(call.workspace.current + "\n")
    }
}
