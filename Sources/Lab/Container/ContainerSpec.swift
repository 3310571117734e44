import Kernel

/// What `container run` was asked for, checked before anything is made: the options
/// `docker run` has for the same things.
struct ContainerSpec: Sendable {
    /// An OCI image layout's directory.
    var image: String
    var name: String
    var program: [String]
    var memory: CgroupLimit?
    var pids: CgroupLimit?
    var cpu: CPULimit?
    var network: ContainerNetwork
    var hostname: String
    var volumes: [Volume]
    /// `--link NAME[:ALIAS]`: containers whose address then goes into this one's /etc/hosts.
    var links: [(name: String, alias: String?)]
    /// `--network-alias`: more names the embedded resolver answers for it on its network.
    var aliases: [String]
    /// Where unpacked layers are kept; nil: the run directory's.
    var store: String?
    var security: ContainerSecurity
    /// `--user`: nil runs the program as root (of the container's user namespace, if it has one).
    var user: ContainerUser?
    /// `--userns`: host unless asked.
    var userNamespace = ContainerUserNamespace.host

    struct Volume: Sendable, Equatable {
        var source: String
        /// Inside the container, absolute.
        var target: String
        var readOnly: Bool
        /// Flags a read-only remount keeps: those the kernel locked on the source's mount when
        /// it copied it into a container's own user namespace (runc keeps them too, from statfs).
        var keeping: MountFlags = []
    }

    static let usage = "container run [--name NAME] [--hostname NAME] [--memory SIZE] [--pids N] [--cpus N] [--network none|host|BRIDGE] [--ip ADDRESS/LENGTH] [--network-alias NAME]... [--link NAME[:ALIAS]]... [-v SOURCE:TARGET[:ro]]... [--store DIR] [--user UID[:GID]] [--userns host|remap|OUTSIDE:COUNT] \(ContainerSecurity.usage) IMAGE [PROGRAM [ARG...]] [&]"

    static let options: [OptionSpec] = [
        .value(nil, "name"), .value("h", "hostname"), .value("m", "memory"), .value(nil, "pids"), .value(nil, "cpus"),
        .value(nil, "network"), .value(nil, "ip"), .value("v", "volume"), .value(nil, "store"),
        .value(nil, "link"), .value(nil, "network-alias"), .value("u", "user"), .value(nil, "userns"),
    ] + ContainerSecurity.options

    /// The spec an invocation's options and operands give, paths made absolute with `resolve`
    /// (which applies the path rules for a use); every mistake is found here, before anything exists.
    init(_ options: ParsedOptions, resolve: (String, PathUse) throws(CommandError) -> String) throws(CommandError) {
        security = try ContainerSecurity(options) { file throws(CommandError) in try SeccompProfileText.read(file, resolve: resolve) }
        func bad(_ message: String, _ cause: String) -> CommandError { CommandError(message: "container run: " + message, cause: cause) }
        guard let image = options.operands.first else {
            throw bad("which image?", "usage: \(Self.usage)")
        }
        program = Array(options.operands.dropFirst())
        if program.isEmpty { program = ["/bin/sh"] }
        let name = options.value("name") ?? "box"
        guard Self.isName(name) else { throw bad("bad name '\(name)'", Self.nameRule) }
        self.name = name
        hostname = options.value("hostname") ?? name
        guard hostname.utf8.count <= 64, !hostname.isEmpty else { throw bad("bad hostname '\(hostname)'", "a hostname is 1 to 64 bytes") }
        do {
            memory = try options.value("memory").map { try CgroupLimit(size: $0) }
            pids = try options.value("pids").map { try CgroupLimit(count: $0) }
        } catch {
            throw bad("\(error)", "a memory size is like 64M; a pids limit is a number")
        }
        if let cpus = options.value("cpus") {
            // The kernel takes no quota under 1 ms a period of 100 ms: 0.01 CPU.
            guard let share = Double(cpus), share >= 0.01, share <= 1024 else {
                throw bad("bad --cpus '\(cpus)'", "the number of CPUs the container may use, from 0.01 to 1024, like 0.5 or 2")
            }
            cpu = CPULimit(quota: .value(UInt64(share * 100_000)), period: 100_000)
        }
        links = []
        for text in options.allValues("link") {
            let parts = text.split(separator: ":", omittingEmptySubsequences: false).map(String.init)
            guard (1...2).contains(parts.count), parts.allSatisfy(Self.isName) else {
                throw bad("bad --link '\(text)'", "--link NAME or NAME:ALIAS, each \(Self.nameRule.dropFirst(2))")
            }
            links.append((parts[0], parts.count == 2 ? parts[1] : nil))
        }
        user = try options.value("user").map { text throws(CommandError) in try ContainerUser(text) }
        if let text = options.value("userns") { userNamespace = try ContainerUserNamespace(text) }
        if userNamespace != .host, security.privileged {
            // Docker's own refusal: a privileged container's root is the host's.
            throw bad("--privileged needs --userns host", "a privileged container's root is the host's root, which a user namespace's root is not: drop one of them")
        }
        try userNamespace.checkMapped()
        try userNamespace.checkProcVisible()
        // After the options, which need nothing on disk to be found wrong.
        let layout = try resolve(image, .read)
        self.image = layout
        guard (try? Trace.untraced({ () throws(KernelError) in try FileSystem.stat(layout + "/index.json") })) != nil else {
            throw bad("no image at \(image): \(image)/index.json does not exist", "give an OCI image layout's directory; `boxlab image build DIR` makes one")
        }
        network = try ContainerNetwork(mode: options.value("network") ?? "none", address: options.value("ip"))
        if userNamespace != .host, network == .host {
            // Docker refuses it too: the host's network namespace is not the new user namespace's, and its sysfs cannot be mounted from there.
            throw bad("--network host needs --userns host", "a container in its own user namespace cannot share the host's network namespace (Docker refuses it too): give --network none or a bridge")
        }
        volumes = []
        for text in options.allValues("volume") {
            let parts = text.split(separator: ":", omittingEmptySubsequences: false).map(String.init)
            guard (2...3).contains(parts.count), !parts[0].isEmpty, parts[1].hasPrefix("/"), parts.count == 2 || parts[2] == "ro" || parts[2] == "rw" else {
                throw bad("bad volume '\(text)'", "a volume is SOURCE:TARGET or SOURCE:TARGET:ro, TARGET absolute inside the container")
            }
            let components = parts[1].split(separator: "/")
            guard !components.isEmpty, !components.contains(where: { $0 == ".." || $0 == "." }) else {
                throw bad("bad volume target '\(parts[1])'", "a target is a directory inside the container, named without '.' or '..' (Docker refuses '/' too)")
            }
            guard components[0] != "proc" else {
                throw bad("volume target '\(parts[1])' is in /proc", "the container's /proc is the kernel's, and runc mounts nothing over it: give a target elsewhere")
            }
            let source = try resolve(parts[0], .write)
            guard let status = try? Trace.untraced({ () throws(KernelError) in try FileSystem.stat(source) }) else {
                throw bad("volume source \(parts[0]) does not exist", "make it first (mkdir \(parts[0]))")
            }
            guard status.type == .directory else { throw bad("volume source \(parts[0]) is not a directory", "BoxLab binds directories as volumes") }
            volumes.append(Volume(source: source, target: parts[1], readOnly: parts.count == 3 && parts[2] == "ro"))
        }
        aliases = options.allValues("network-alias")
        if let alias = aliases.first(where: { !Self.isName($0) }) { throw bad("bad --network-alias '\(alias)'", Self.nameRule) }
        if !aliases.isEmpty, case .none = network { throw bad("--network-alias needs a network", "add --network NETWORK (a user-defined network's aliases are what its resolver answers)") }
        if !aliases.isEmpty, case .host = network { throw bad("--network-alias needs a network", "add --network NETWORK (a user-defined network's aliases are what its resolver answers)") }
        store = try options.value("store").map { path throws(CommandError) in try resolve(path, .write) }
    }
}

extension ContainerSpec {
    static let nameRule = "a name is up to 32 letters, digits, '-', '_' or '.', not starting with '.'"

    /// A container's, a network's or an alias's name: what becomes a file name and a DNS name.
    static func isName(_ name: String) -> Bool {
        !name.isEmpty && name.count <= 32 && !name.hasPrefix(".") && name.allSatisfy { $0.isASCII && ($0.isLetter || $0.isNumber || "-_.".contains($0)) }
    }
}

/// `--network`: none (a new, empty namespace), host (the caller's), or the name of a bridge
/// the container is wired to with a veth pair.
enum ContainerNetwork: Sendable, Equatable {
    case none
    case host
    case bridge(String, address: IPPrefix)

    init(mode: String, address: String?) throws(CommandError) {
        switch mode {
        case "none", "host":
            guard address == nil else {
                throw CommandError(message: "container run: --ip needs a bridge network", cause: "add --network BRIDGE, the name of a bridge with an address")
            }
            self = mode == "none" ? .none : .host
        default:
            guard let address else {
                throw CommandError(message: "container run: --network \(mode) needs --ip ADDRESS/LENGTH", cause: "give the container an address in the bridge's subnet, like --ip 172.17.0.2/16")
            }
            guard let prefix = IPPrefix(address), prefix.address.family == .inet else {
                throw CommandError(message: "container run: bad --ip '\(address)'", cause: "an IPv4 address with its prefix length, like 172.17.0.2/16")
            }
            self = .bridge(mode, address: prefix)
        }
    }
}
