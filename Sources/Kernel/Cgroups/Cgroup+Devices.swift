#if canImport(Glibc)
import Glibc
#endif

extension Cgroup {
    /// Lets the group's processes open and make only the devices `rules` allow, the way the
    /// machine's cgroups can say it: with a v1 devices hierarchy (the group must have a place
    /// in it), "a" written to devices.deny and each rule to devices.allow; on cgroup v2, which
    /// has no devices files, a device program (`DeviceFilter`) attached to its directory.
    /// Done before any process enters the group.
    ///
    /// The corresponding C functions are `open`, `write` and `close` on v1's files; `bpf`
    /// (BPF_PROG_LOAD, BPF_PROG_ATTACH), `open` and `close` on v2.
    public func allowOnlyDevices(_ rules: [DeviceRule]) throws {
        if let place = places[.devices], place.version == .v1 {
            try Self.write(place.directory + "/devices.deny", "a")
            for rule in rules { try Self.write(place.directory + "/devices.allow", rule.line) }
            return
        }
        guard let unified = places.values.first(where: { $0.version == .v2 }) else {
            throw CgroupError("the group has neither a v1 devices directory nor a cgroup2 one to attach a device program to")
        }
        let program = try BPFProgram.load(DeviceFilter(allowing: rules), name: "boxlab_devices")
        defer { try? program.close() }
        let directory = try OpenFile.open(unified.directory, O_RDONLY | O_DIRECTORY | O_CLOEXEC)
        defer { try? directory.close() }
        try program.attachDeviceFilter(to: directory.descriptor)
    }
}
