import Glibc
import Image
import Kernel

extension Invocation {
    /// `container run`: the whole sequence a runtime performs, from an image to a running
    /// program. The parent unpacks the image's layers (once per digest), makes the container's
    /// directory and cgroup, clones the child with new mount, UTS, IPC, PID and network
    /// namespaces into the cgroup (`ProcessLaunch.cgroups`), and wires its network while it
    /// waits; the child then builds its root (`ContainerRoot`) and execs. A container run in
    /// the foreground takes its directory and cgroup with it when it ends; `reset` removes
    /// them otherwise.
    func runContainer(_ spec: ContainerSpec) throws {
        let gateway = try bridgeAddress(spec.network)
        let store = spec.store ?? workbench.run.layers
        let layers: LayerStore.Unpacked
        // Unpacking is lab 03's subject; here its thousands of calls would bury the runtime's.
        do { layers = try Trace.untraced { try LayerStore(path: store).unpack(ImageLayout(path: spec.image)) } } catch {
            throw failure("image \(spec.image): \(error)")
        }
        // Looked for in the layers, which stay in the store (as a pulled image stays) if it is not there.
        let path = try programPath(spec.program[0], in: layers.lowerDirectories)
        let user = try spec.user.map { user throws(CommandError) in try user.resolve { imageText($0, in: layers.lowerDirectories) } }
        let containers = workbench.run.containers
        let directory = containers + "/" + spec.name
        try spec.userNamespace.checkReachable([containers, store] + spec.volumes.map { "/" + $0.source.split(separator: "/").dropLast().joined(separator: "/") })
        if Trace.untraced({ (try? FileSystem.lstat(directory)) != nil }) {
            // One that ended frees its name, as `docker run --rm` does: its directory goes now,
            // its groups in `containerCgroup`.
            guard let old = ContainerState.load(containers, spec.name), !old.isRunning else {
                throw failure("a container named \(spec.name) is running", cause: "give another --name, or end it first (`kill -9` its pid)")
            }
            Trace.untraced { Self.remove(directory, nil) }
            try awaitFreed(old.endpoints.map(\.hostEnd))
        }
        // Files of the run directory, made now that the input is known to be good (from the
        // shell it may not exist yet): `reset` removes them with it.
        try Trace.untraced { () throws(KernelError) in
            try Workbench.prepareHostDirectories(workbench.run)
            try makeDirectory(containers)
        }
        let links = try linkedAddresses(spec)
        try FileSystem.mkdir(directory)
        var made: Cgroup?
        // A container left running in the background keeps them; one that ended, or never
        // started, does not.
        var running = false
        defer {
            if !running {
                Trace.untraced { Self.remove(directory, made) }
                refreshResolverRecords()
            }
        }
        // Docker's daemon writes these before the runtime starts: BoxLab's bookkeeping, untraced.
        var address: String?
        if case let .bridge(_, prefix) = spec.network { address = prefix.address.description }
        let files = ContainerFiles(hostname: spec.hostname, address: address, links: links, resolver: userNetwork(spec.network) != nil)
        try Trace.untraced { () throws(KernelError) in
            try FileSystem.mkdir(directory + "/layer")
            try files.write(in: directory)
            if spec.userNamespace != .host { try ContainerFiles.writeInitLayer(directory + "/init") }
        }
        let group = try containerCgroup(spec)
        made = group

        var launch = ProcessLaunch(path: path, arguments: spec.program, environment: ContainerRoot.environment(hostname: spec.hostname))
        launch.new = [.mnt, .uts, .ipc, .pid] + (spec.network == .host ? [] : [.net])
        launch.propagation = .private
        var root = ContainerRoot(directory: directory, lowerdir: layers.lowerdir, volumes: spec.volumes, hostname: spec.hostname, security: spec.security)
        root.user = user
        if let map = spec.userNamespace.mapLine {
            launch.new.append(.user)
            launch.userMap = map
            launch.setgroupsAllowed = true
            root.ownUserNamespace = true
            root.lowerdir = directory + "/init:" + root.lowerdir
            let table = Trace.untraced { try? MountTable.read() }
            root.volumes = root.volumes.map { volume in
                var volume = volume
                volume.keeping = Self.lockedFlags(of: volume.source, in: table)
                return volume
            }
        }
        launch.setup = root.operations
        launch.cgroups = group.directories
        try self.launch(launch) { pid in
            try wire(spec, pid, gateway: gateway)
            var state = ContainerState(name: spec.name, hostname: spec.hostname, pid: pid, startTime: Trace.untraced { ProcessTable.startTime(of: pid) } ?? 0, endpoints: [])
            if case let .bridge(bridge, prefix) = spec.network {
                state.endpoints = [.init(network: bridge, interface: "eth0", hostEnd: ContainerState.hostEnd(container: spec.name, interface: "eth0"),
                                         address: prefix.description, aliases: spec.aliases)]
            }
            try state.save(containers)
            // The filter the child loads, as its operations carry it (assembled once).
            for case let .loadSeccompFilter(filter) in launch.setup { try journal(filter, loadedInto: pid) }
            refreshResolverRecords()
            try startResolver(for: &state)
        }
        running = background
    }

    /// A container's leftovers once its program has ended: the group's directories are
    /// empty then, and rmdir is all it takes (`Cgroup.remove` kills what is left otherwise).
    private static func remove(_ directory: String, _ group: Cgroup?) {
        if let group {
            var emptied = true
            for place in group.directories where (try? FileSystem.rmdir(place)) == nil { emptied = false }
            if !emptied { try? group.remove() }
        }
        try? FileSystem.removeTree(directory)
    }

    /// Waits, at most 5 s, until the host ends of an ended container's veths are gone: the
    /// kernel frees its network namespace, and the peers with it, a moment after it ended.
    private func awaitFreed(_ hostEnds: [String]) throws {
        guard !hostEnds.isEmpty else { return }
        let host = try Trace.untraced { () throws(KernelError) in try workbench.clients.netlink(namespace) }
        for _ in 0..<100 {
            let left = Trace.untraced { hostEnds.filter { (try? host.link(.name($0))) != nil } }
            if left.isEmpty { return }
            usleep(50_000)
        }
    }

    /// The program's path inside the image: itself if absolute, else the first match on PATH
    /// in the layers.
    private func programPath(_ name: String, in layers: [String]) throws -> String {
        let candidates = name.hasPrefix("/") ? [name] : ContainerRoot.searchPath.map { $0 + "/" + name }
        if let found = candidates.first(where: { imageFile($0, in: layers) != nil }) { return found }
        throw failure("\(name): not found in the image", cause: name.hasPrefix("/") ? "the image has no \(name)" : "it is not on the image's PATH; give its full path inside the image")
    }

    /// The flags of the mount `path` is on that a mount namespace copied into another user
    /// namespace may not drop (nosuid, nodev, noexec and the atime ones), from BoxLab's mount
    /// table (read untraced: BoxLab's bookkeeping).
    private static func lockedFlags(of path: String, in table: MountTable?) -> MountFlags {
        let flags = MountOptions.parse(table?.mount(containing: path)?.mountOptions.joined(separator: ",") ?? "").flags
        return flags.intersection([.noSuid, .noDev, .noExec, .noAtime, .noDirAtime, .strictAtime])
    }

    /// Where the image's file `path` is on the host: in the topmost layer that has it, unless a
    /// whiteout in a higher one hides it.
    private func imageFile(_ path: String, in layers: [String]) -> String? {
        for layer in layers {
            guard let status = Trace.untraced({ try? FileSystem.lstat(layer + path) }) else { continue }
            return status.isWhiteout ? nil : layer + path
        }
        return nil
    }

    /// The text of the image's file `path` (its /etc/passwd), read as the runtime reads the
    /// container's own: BoxLab's bookkeeping, untraced.
    private func imageText(_ path: String, in layers: [String]) -> String? {
        imageFile(path, in: layers).flatMap { file in Trace.untraced { try? FileSystem.readFile(file) } }.map { String(decoding: $0, as: UTF8.self) }
    }

    /// The container's cgroup, `NAME` below the lab's cgroups (`$memory/NAME`), or below
    /// BoxLab's `containers` group outside a lab that has cgroups; made, with its limits.
    private func containerCgroup(_ spec: ContainerSpec) throws -> Cgroup {
        let lab = workspace.root.hasPrefix(workbench.run.workspaces + "/") ? String(workspace.root.split(separator: "/").last ?? "") : ""
        let root: CgroupRoot
        var devices: CgroupRoot?
        // Device rules are the host root's to set (devices.allow and a device program need
        // CAP_SYS_ADMIN in the initial user namespace). In another user namespace, as in
        // BoxLab's sandbox, the kernel already refuses to make device nodes, and the
        // container's /dev holds only nodes bound from outside: rootless runc skips them too.
        let deviceRules = UserNamespace.mapsHostRoot && !spec.security.privileged
        // Finding the hierarchies is BoxLab's bookkeeping, not the container's calls.
        do {
            let layout = try Trace.untraced { () throws(CgroupError) in try CgroupLayout.detect() }
            if workbench.variables.value("memory") != nil, !lab.isEmpty {
                root = try Trace.untraced { () throws(CgroupError) in try workbench.cgroupRoot(forLab: lab) }
            } else {
                // Made by whoever runs containers from this run directory, in its own cgroup:
                // not looked up in the ledger, which a lab's roots need.
                let here = try Trace.untraced { () throws(CgroupError) in
                    try CgroupRoot.locate(run: workbench.run.path, lab: "containers", layout: layout)
                }
                root = try workbench.prepareCgroupRoot(forLab: "containers", root: here)
            }
            // A v1 devices hierarchy (beside v2's or v1's others) holds the device rules; on
            // cgroup v2 the group's own directory does, with a device program.
            if deviceRules, layout.hierarchy(for: .devices)?.version == .v1 {
                let name = lab.isEmpty || workbench.variables.value("memory") == nil ? "containers" : lab
                devices = try Trace.untraced { () throws(CgroupError) in
                    try workbench.prepareCgroupRoot(
                        forLab: name, root: CgroupRoot.locate(run: workbench.run.path, lab: name, layout: layout, controllers: [.devices]))
                }
            }
        } catch {
            throw failure("cannot make the container's cgroup: \(error)")
        }
        let group = Cgroup(places: root.group.child(spec.name).places.merging(devices?.group.child(spec.name).places ?? [:]) { lab, _ in lab })
        // A background container that ended leaves its groups (a new session on the lab
        // empties only the lab's own root, not the devices one): the kernel removes only an
        // empty one, and a group that still holds a process stays, for mkdir to find.
        Trace.untraced { for place in group.directories { _ = try? FileSystem.rmdir(place) } }
        do {
            for directory in group.directories { try FileSystem.mkdir(directory) }
            if deviceRules { try group.allowOnlyDevices(DeviceRule.containerDefaults) }
            if let memory = spec.memory { _ = try group.setMemoryLimit(memory) }
            if let pids = spec.pids { _ = try group.setProcessLimit(pids) }
            if let cpu = spec.cpu { _ = try group.setCPULimit(cpu) }
        } catch {
            try? group.remove()
            throw failure("cannot make the container's cgroup", error, cause: (error as? KernelError)?.errno == .EEXIST ? "a container named \(spec.name) is running" : nil)
        }
        return group
    }

    /// `--network BRIDGE`: a veth pair, one end on the bridge, the other made in the child's
    /// namespace as eth0, addressed, up, with a default route via the bridge's address.
    private func wire(_ spec: ContainerSpec, _ pid: Int32, gateway: IPAddress?) throws {
        guard case let .bridge(bridge, address) = spec.network, let gateway else { return }
        let host = try workbench.clients.netlink(namespace)
        let name = ContainerState.hostEnd(container: spec.name, interface: "eth0")
        do {
            try workbench.creatingLink(name, in: namespace, netlink: host) { () throws(KernelError) in
                try host.addLink(name, .veth(peer: "eth0", peerNamespace: .pid(pid)))
            }
        } catch {
            guard error is LinkTaken || (error as? KernelError)?.errno == .EEXIST else { throw error }
            throw failure("a link named \(name) exists", cause: "the host end of a container of that name (one that just ended goes when the kernel frees its namespace, shortly) or of another whose name starts alike: wait, or give another --name")
        }
        try host.setLink(.name(name), [.master(.name(bridge)), .up])
        let inside = try RouteNetlink(in: NetworkNamespace.open(pid: pid))
        try inside.addAddress(address, to: .name("eth0"))
        try inside.setLink(.name("eth0"), [.up])
        try inside.setLink(.name("lo"), [.up])
        try inside.addRoute(.defaultIPv4, via: gateway)
    }

    /// `--link NAME[:ALIAS]`: each linked container's address now, as legacy Docker wrote it
    /// into the new container's /etc/hosts once, at start.
    private func linkedAddresses(_ spec: ContainerSpec) throws -> [(address: String, alias: String?, name: String)] {
        try spec.links.map { link in
            guard let state = ContainerState.load(workbench.run.containers, link.name), state.isRunning else {
                throw failure("--link \(link.name): no running container named \(link.name)", cause: "start it first, in the background: container run --name \(link.name) … &")
            }
            guard let endpoint = state.endpoints.first else {
                throw failure("--link \(link.name): \(link.name) has no address (it is on network none or host)", cause: "run it with --network BRIDGE --ip ADDRESS/LENGTH")
            }
            return (endpoint.ipAddress, link.alias, link.name)
        }
    }

    /// The user-defined network `network` is, if it is one.
    func userNetwork(_ network: ContainerNetwork) -> UserNetwork? {
        guard case let .bridge(bridge, _) = network else { return nil }
        return UserNetwork.load(workbench.run, bridge)
    }

    /// The address of the bridge `--network` names, checked before anything is made.
    private func bridgeAddress(_ network: ContainerNetwork) throws -> IPAddress? {
        guard case let .bridge(bridge, _) = network else { return nil }
        let host = try Trace.untraced { () throws(KernelError) in try workbench.clients.netlink(namespace) }
        let link: Link
        do { link = try Trace.untraced { () throws(KernelError) in try host.link(.name(bridge)) } } catch {
            throw failure("no bridge named \(bridge)", cause: "make it first: ip link add \(bridge) type bridge, then give it an address and bring it up")
        }
        let addresses = try Trace.untraced { () throws(KernelError) in try host.addresses(family: .inet) }
        guard let gateway = addresses.first(where: { $0.index == link.index }) else {
            throw failure("bridge \(bridge) has no IPv4 address", cause: "the containers' default route goes via the bridge: ip addr add 172.17.0.1/16 dev \(bridge)")
        }
        return gateway.prefix.address
    }
}
