import Glibc
import Kernel

/// What keeps a container's root in, as `docker run`'s options say it and with Docker's
/// defaults: the capabilities it keeps (`--cap-add`, `--cap-drop`, `--privileged`),
/// no_new_privs, a seccomp filter, and a read-only root filesystem.
struct ContainerSecurity: Sendable, Equatable {
    /// Docker's 14 by default.
    var capabilities = Capability.containerDefaults
    /// `--privileged`: every capability (`Capability.held()`), no seccomp filter, and none of
    /// runc's masked or read-only paths, a writable /sys and no device rules.
    var privileged = false
    /// Off, as in Docker: `--security-opt no-new-privileges[=true]` sets it, so that a setuid
    /// program or a file's capabilities in the image grant nothing.
    var noNewPrivileges = false
    /// Docker's default profile's denials (`SeccompProfile.dockerDefault`, also
    /// `seccomp=default`) unless `--security-opt seccomp=PROFILE`; nil: none
    /// (`seccomp=unconfined`, `--privileged`).
    var seccomp: SeccompProfile? = .dockerDefault
    /// `--read-only`: the root filesystem remounted read-only after pivot_root.
    var readOnlyRoot = false

    static let options: [OptionSpec] = [
        .value(nil, "cap-add"), .value(nil, "cap-drop"), .flag(nil, "privileged"), .flag(nil, "read-only"), .value(nil, "security-opt"),
    ]

    static let usage = "[--cap-add CAP]... [--cap-drop CAP|ALL]... [--privileged] [--read-only] [--security-opt no-new-privileges[=true|false]|seccomp=default|PROFILE|unconfined]..."
}

extension ContainerSecurity {
    /// `profile` reads a seccomp profile's file (with the path rules) and parses it.
    init(_ options: ParsedOptions, profile: (String) throws(CommandError) -> SeccompProfile) throws(CommandError) {
        func bad(_ message: String, _ cause: String) -> CommandError { CommandError(message: "container run: " + message, cause: cause) }
        func capabilities(_ key: String) throws(CommandError) -> [String] {
            try options.allValues(key).map { name throws(CommandError) in
                guard name.uppercased() == "ALL" || Capability(name: name) != nil else {
                    throw bad("unknown capability '\(name)' in --\(key)", "a capability as capabilities(7) names it, with or without CAP_ (NET_ADMIN, cap_sys_time), or ALL")
                }
                return name.uppercased()
            }
        }
        let (adds, drops) = (try capabilities("cap-add"), try capabilities("cap-drop"))
        privileged = options.has("privileged")
        // Docker's order: ALL dropped first, then the additions, then the other drops.
        var kept = Set(privileged || adds.contains("ALL") ? Capability.held() : drops.contains("ALL") ? [] : Capability.containerDefaults)
        if !privileged {
            kept.formUnion(adds.compactMap(Capability.init(name:)))
            kept.subtract(drops.compactMap(Capability.init(name:)))
        }
        self.capabilities = kept.sorted()
        readOnlyRoot = options.has("read-only")
        for option in options.allValues("security-opt") {
            let parts = option.split(separator: "=", maxSplits: 1, omittingEmptySubsequences: false).map(String.init)
            switch (parts[0], parts.count > 1 && !parts[1].isEmpty ? parts[1] : nil) {
            case ("no-new-privileges", nil), ("no-new-privileges", "true"): noNewPrivileges = true
            case ("no-new-privileges", "false"): noNewPrivileges = false
            case ("seccomp", "unconfined"): seccomp = nil
            case ("seccomp", "default"): seccomp = .dockerDefault
            case ("seccomp", let file?): seccomp = try profile(file)
            default:
                throw bad("unknown --security-opt '\(option)'", "BoxLab knows no-new-privileges[=true|false], seccomp=default (Docker's default profile's denials, as without the option), seccomp=PROFILE (BoxLab's profile syntax, see seccomp dump) and seccomp=unconfined")
            }
        }
        if privileged { seccomp = nil }
    }
}
