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
            if call.inChild {
                try call.runInChild(childDirectories(operand, parents: call.options.has("parents"), mode: mode), "cannot create directory '\(operand)'")
                continue
            }
            let target = try call.path(operand, for: .write, following: false)
            if call.options.has("parents") {
                try makeParents(target, mode: mode, call: call)
            } else {
                do { try FileSystem.mkdir(target, mode: mode) } catch {
                    throw call.failure("cannot create directory '\(operand)'", error)
                }
            }
        }
    }
}

/// The process being set up makes them itself; with -p, each component, an existing
/// directory being fine.
private func childDirectories(_ path: String, parents: Bool, mode: UInt32) -> [SetupOperation] {
    guard parents else { return [.makeDirectory(path, permissions: mode, existingIsFine: false)] }
    let parts = path.split(separator: "/")
    return parts.indices.map { end in
        let built = parts[...end].joined(separator: "/")
        return .makeDirectory(path.hasPrefix("/") ? "/" + built : built, permissions: mode, existingIsFine: true)
    }
}

/// mkdir -p: each missing component, as coreutils does (EEXIST on a directory is fine).
private func makeParents(_ target: String, mode: UInt32, call: Invocation) throws {
    var built = ""
    for part in target.split(separator: "/") {
        built += "/" + part
        if let status = try? Trace.untraced({ () throws(KernelError) in try FileSystem.stat(built) }) {
            guard status.type == .directory else { throw call.failure("cannot create directory '\(built)': not a directory") }
            continue
        }
        do { try FileSystem.mkdir(built, mode: mode) } catch {
            throw call.failure("cannot create directory '\(built)'", error)
        }
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
