import Kernel

extension Command {
    static let mount = Command(
        "mount",
        usage: "mount [-t TYPE] [-o OPTIONS] [--bind|--rbind] [--make-[r]private|shared|slave|unbindable] [SOURCE] TARGET",
        summary: "attach a filesystem, bind a directory, or change propagation (no arguments: list the workspace's mounts)",
        options: [.value("t", "types"), .value("o", "options"), .flag("B", "bind"), .flag("R", "rbind"), .flag("r", "read-only")]
            + Propagation.allCases.flatMap { [.flag(nil, "make-\($0.rawValue)"), .flag(nil, "make-r\($0.rawValue)")] },
        runsInChild: true
    ) { call in
        if call.operands.isEmpty, call.options.flags.isEmpty, call.options.values.isEmpty {
            return listMounts(call)
        }
        if let propagation = requestedPropagation(call.options) {
            return try changePropagation(call, propagation)
        }
        try call.requireOperands(1...2)
        var options = MountOptions.parse(call.options.allValues("options").joined(separator: ","))
        if call.options.has("bind") { options.flags.insert(.bind) }
        if call.options.has("rbind") { options.flags.formUnion([.bind, .recursive]) }
        if call.options.has("read-only") { options.flags.insert(.readOnly) }
        let fstype = call.options.value("types")
        let isBind = options.flags.contains(.bind)
        let source: String? = call.operands.count == 2 ? call.operands[0] : fstype
        try call.perform([.mount(source: source, target: call.operands.last!, fstype: isBind ? nil : fstype, flags: options.flags, data: options.dataString)],
                         "mounting \(source ?? "none") on \(call.operands.last!) failed") { error, mount in
            mountCause(error, fstype: fstype, mount: mount, call: call)
        }
    }

    static let umount = Command(
        "umount", usage: "umount [-l] [-f] TARGET...", summary: "detach a mount (-l: lazily, even while busy)",
        options: [.flag("l", "lazy"), .flag("f", "force"), .flag("R", "recursive")],
        runsInChild: true
    ) { call in
        try call.requireOperands(1...Int.max)
        var flags: UnmountFlags = []
        if call.options.has("lazy") { flags.insert(.detach) }
        if call.options.has("force") { flags.insert(.force) }
        for operand in call.operands {
            try call.perform([.unmount(operand, flags: flags)], operand) { error, _ in
                switch error.errno {
                case .EINVAL: "nothing is mounted at \(operand)"
                case .EBUSY: "it is in use (a process's current directory or a mount below it); try umount -l"
                default: nil
                }
            }
        }
    }
}

private func requestedPropagation(_ options: ParsedOptions) -> (Propagation, recursive: Bool)? {
    for propagation in Propagation.allCases {
        if options.has("make-r\(propagation.rawValue)") { return (propagation, true) }
        if options.has("make-\(propagation.rawValue)") { return (propagation, false) }
    }
    return nil
}

private func changePropagation(_ call: Invocation, _ request: (Propagation, recursive: Bool)) throws {
    try call.requireOperands(1...1)
    var flags = request.0.flag
    if request.recursive { flags.insert(.recursive) }
    try call.perform([.mount(source: nil, target: call.operands[0], fstype: nil, flags: flags, data: nil)], call.operands[0]) { error, _ in
        error.errno == .EINVAL ? "\(call.operands[0]) is not a mount point; bind-mount it on itself first" : nil
    }
}

/// What usually went wrong, found by looking at the directories the options name.
private func mountCause(_ error: KernelError, fstype: String?, mount: SetupOperation, call: Invocation) -> String? {
    guard fstype == "overlay", case let .mount(_, _, _, _, data) = mount else { return likelyCause(of: error) }
    var named: [(String, String)] = []
    for item in MountOptions.parse(data ?? "").data {
        let parts = item.split(separator: "=", maxSplits: 1).map(String.init)
        guard parts.count == 2, ["lowerdir", "upperdir", "workdir"].contains(parts[0]) else { continue }
        named += parts[1].split(separator: ":").map { (parts[0], String($0)) }
    }
    if !named.contains(where: { $0.0 == "lowerdir" }) { return "overlay needs lowerdir=DIR" }
    if named.contains(where: { $0.0 == "upperdir" }) != named.contains(where: { $0.0 == "workdir" }) {
        return "upperdir and workdir go together"
    }
    // A process being set up resolves its paths itself, from where BoxLab cannot look.
    for (option, path) in named where !call.inChild && (try? Trace.untraced({ () throws(KernelError) in try FileSystem.stat(path) })) == nil {
        return "\(option) \(call.workspace.display(path)) does not exist; mkdir it first"
    }
    switch error.errno {
    case .EBUSY: return "upperdir or workdir is already used by another overlay mount"
    case .EINVAL: return "workdir must be an empty directory on the same filesystem as upperdir, and not inside it"
    default: return likelyCause(of: error)
    }
}

private func listMounts(_ call: Invocation) {
    guard let table = try? MountTable.read() else { return }
    let mounts = table.mounts(under: call.workspace.root).filter { $0.mountPoint != call.workspace.root }
    if mounts.isEmpty { call.write("(nothing is mounted in the workspace)\n") }
    for entry in mounts {
        let options = (entry.mountOptions + entry.superOptions.filter { !entry.mountOptions.contains($0) }).joined(separator: ",")
        call.write("\(entry.source) on \(entry.mountPoint) type \(entry.fstype) (\(options))\n")
    }
}
