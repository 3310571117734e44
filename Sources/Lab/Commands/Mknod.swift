import Kernel

extension Command {
    static let mknod = Command(
        "mknod", usage: "mknod [-m MODE] PATH c|b|p [MAJOR MINOR]", summary: "make a device node (c 0 0 is a whiteout)",
        options: [.value("m", "mode")],
        runsInChild: true
    ) { call in
        try call.requireOperands(2...4)
        let kinds: [String: FileType] = ["c": .characterDevice, "u": .characterDevice, "b": .blockDevice, "p": .fifo]
        guard let type = kinds[call.operands[1]] else {
            throw call.failure("invalid device type '\(call.operands[1])'", cause: "use c, b or p")
        }
        var device = DeviceNumber(major: 0, minor: 0)
        if type == .fifo {
            try call.requireOperands(2...2)
        } else {
            try call.requireOperands(4...4)
            guard let major = UInt32(call.operands[2]), let minor = UInt32(call.operands[3]) else {
                throw call.failure("invalid device numbers '\(call.operands[2]) \(call.operands[3])'", cause: "give two numbers, e.g. 0 0")
            }
            device = DeviceNumber(major: major, minor: minor)
        }
        let mode = try call.mode(default: 0o644)
        // A device node opens the machine's own device (a disk, memory) wherever it is made.
        // Inside the boundary the kernel refuses to make one; where the host's root acts
        // (--host, or a sandbox that is not a boundary) only a lab with the machine's reach
        // may: the others get whiteouts (c 0 0) and fifos.
        if type != .fifo, device != DeviceNumber(major: 0, minor: 0), call.reach == .session, !Reach.isBoundary(call.workbench) {
            throw call.failure("\(call.operands[0]): a device node \(call.operands[1]) \(device.major):\(device.minor) would open one of this machine's devices",
                               cause: "this lab is not one of BoxLab's own: pass --trust if you trust it, or make only whiteouts (c 0 0) and fifos")
        }
        // mknod's mode is cut by the umask; -m is what the node must end up with, as mknod(1) does it.
        let chmod: [SetupOperation] = call.options.value("mode") == nil ? [] : [.changeMode(call.operands[0], permissions: mode)]
        try call.perform([.makeNode(call.operands[0], type: type, permissions: mode, device: device)] + chmod, call.operands[0])
    }
}
