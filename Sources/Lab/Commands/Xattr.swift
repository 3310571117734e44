import Kernel

extension Command {
    static let getfattr = Command(
        "getfattr", usage: "getfattr [-d] [-n NAME] [-m PATTERN] PATH...",
        summary: "show extended attributes (trusted.overlay.opaque marks an opaque directory)",
        options: [.value("n", "name"), .flag("d", "dump"), .value("m", "match"), .flag("h", "no-dereference")]
    ) { call in
        try call.requireOperands(1...Int.max)
        for operand in call.operands {
            let target = try call.path(operand, for: .read)
            let names: [String]
            if let name = call.options.value("name") {
                names = [name]
            } else {
                do { names = try FileSystem.listxattr(target) } catch {
                    throw call.failure(operand, error)
                }
            }
            // getfattr(1) shows only user.* unless -m says otherwise; "-m -" means every name.
            let pattern = call.options.value("match") ?? (call.options.value("name") == nil ? "^user\\." : "")
            let shown = names.filter { pattern == "-" || pattern.isEmpty || matches($0, pattern) }
            guard !shown.isEmpty else { continue }
            call.write("# file: \(operand)\n")
            for name in shown {
                do {
                    let value = try FileSystem.getxattr(target, name)
                    call.write("\(name)=\"\(String(decoding: value, as: UTF8.self))\"\n")
                } catch let error as KernelError where error.errno == .ENODATA {
                    throw call.failure("\(operand): \(name): No such attribute", cause: "the directory is not opaque")
                } catch {
                    throw call.failure(operand, error)
                }
            }
            call.write("\n")
        }
    }

    static let setfattr = Command(
        "setfattr", usage: "setfattr -n NAME -v VALUE PATH...", summary: "set an extended attribute",
        options: [.value("n", "name"), .value("v", "value")]
    ) { call in
        try call.requireOperands(1...Int.max)
        guard let name = call.options.value("name"), let value = call.options.value("value") else {
            throw call.failure("-n NAME and -v VALUE are required", cause: "usage: \(call.command.usage)")
        }
        for operand in call.operands {
            let target = try call.path(operand, for: .write)
            do { try FileSystem.setxattr(target, name, Array(value.utf8)) } catch {
                throw call.failure(operand, error)
            }
        }
    }
}

/// getfattr's -m takes a regular expression; the lessons need only `^prefix` and plain substrings.
private func matches(_ name: String, _ pattern: String) -> Bool {
    let literal = pattern.replacing("\\.", with: ".")
    return literal.hasPrefix("^") ? name.hasPrefix(literal.dropFirst()) : name.contains(literal)
}
