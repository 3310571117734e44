import Kernel

extension Command {
    static let mkdir = Command(
        "mkdir", usage: "mkdir [-p] [-m MODE] DIR...", summary: "make directories",
        options: [.flag("p", "parents"), .value("m", "mode")],
        runsInChild: true
    ) { call in
        try call.requireOperands(1...Int.max)
        let mode = try call.mode(default: 0o755)
        for operand in call.operands {
            try call.perform(directories(operand, parents: call.options.has("parents"), mode: mode), "cannot create directory '\(operand)'")
        }
    }
}

/// mkdir -p makes each component, as coreutils does, an existing directory being fine.
private func directories(_ path: String, parents: Bool, mode: UInt32) -> [SetupOperation] {
    guard parents else { return [.makeDirectory(path, permissions: mode, existingIsFine: false)] }
    let parts = path.split(separator: "/")
    return parts.indices.map { end in
        let built = parts[...end].joined(separator: "/")
        return .makeDirectory(path.hasPrefix("/") ? "/" + built : built, permissions: mode, existingIsFine: true)
    }
}

extension Invocation {
    /// `-m MODE`: permission bits in octal, as mkdir and mknod take them.
    func mode(default value: UInt32) throws(CommandError) -> UInt32 {
        guard let text = options.value("mode") else { return value }
        guard let mode = UInt32(text, radix: 8), mode <= 0o7777 else {
            throw failure("invalid mode '\(text)'", cause: "give octal digits, e.g. 755")
        }
        return mode
    }
}
