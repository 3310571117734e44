#if canImport(Glibc)
import Glibc
#endif
import Etcd
import Kernel

/// What flanneld does with its vxlan backend, in order: read the network's config, find
/// this host's underlay address, make the VTEP, lease a subnet, configure flannel.1 and
/// docker0, write the subnet file, say it is ready, then keep the lease alive and program
/// the other hosts' leases as they come and go.
struct Agent {
    let options: Options
    let etcd: EtcdClient
    let host: HostNetwork
    var publicIP = IPAddress("0.0.0.0")!
    var mac: MACAddress?
    var config: FlannelConfig?
    var lease: FlannelLease?
    var leaseID: Int64 = 0
    /// The other hosts' leases now programmed, by subnet.
    var programmed: [IPv4Subnet: FlannelLease] = [:]

    init(options: Options) throws(KernelError) {
        self.options = options
        etcd = EtcdClient(endpoints: options.endpoints)
        host = HostNetwork(netlink: try RouteNetlink())
    }

    var leasesDirectory: String { FlannelLease.directory(prefix: options.prefix) }

    /// Everything up to readiness; throws what stops the agent.
    mutating func start() throws {
        let interface = options.interface!
        let (address, mtu) = try host.publicAddress(of: interface)
        publicIP = address
        Log.info("Using interface with name \(interface) and address \(address)")
        let configKey = FlannelConfig.key(prefix: options.prefix)
        guard let stored = try etcd.get(configKey) else {
            throw FlannelError("no network config at \(configKey) in etcd: write it first (etcdctl put \(configKey) '{\"Network\":…}')")
        }
        let config = try FlannelConfig(json: stored.value)
        guard config.backendType == "vxlan" else { throw FlannelError("the network's Backend.Type is \(config.backendType); boxlab-flannel speaks vxlan only") }
        self.config = config
        Log.info("Found network config - Backend type: vxlan, Network \(config.network), SubnetLen \(config.subnetLength)")
        let vtep = try host.ensureVTEP(vni: options.vni, local: address, interface: interface, port: options.port)
        mac = vtep.mac
        Log.info(vtep.created ? "Created VXLAN device \(HostNetwork.vtep) (VNI \(options.vni), VTEP MAC \(vtep.mac))" : "Using existing VXLAN device \(HostNetwork.vtep) (VTEP MAC \(vtep.mac))")
        try acquireLease()
        try host.configure(lease!)
        try SubnetFile.prepare(options.subnetFile)
        try SubnetFile.write(SubnetFile.contents(network: config.network, lease: lease!, mtu: mtu - 50), to: options.subnetFile)
        Log.info("Wrote subnet file to \(options.subnetFile)")
    }

    /// Reuses the lease that names this host's address, as flannel does after a restart,
    /// else takes the lowest free subnet with a transaction that only creates the key
    /// (another host may take the same one first: then it looks again).
    mutating func acquireLease() throws {
        let config = config!
        for _ in 0..<16 {
            let (pairs, _) = try etcd.list(prefix: leasesDirectory)
            var taken: [IPv4Subnet] = []
            var mine: FlannelLease?
            for pair in pairs {
                guard let subnet = FlannelLease.subnet(ofKey: pair.key, prefix: options.prefix) else { continue }
                taken.append(subnet)
                if let lease = try? FlannelLease(key: pair.key, prefix: options.prefix, value: pair.value), lease.publicIP == publicIP { mine = lease }
            }
            let granted = try etcd.grantLease(ttl: options.leaseTTL)
            if let mine {
                let renewed = FlannelLease(subnet: mine.subnet, publicIP: publicIP, vni: options.vni, vtepMAC: mac)
                try etcd.put(renewed.key(prefix: options.prefix), renewed.value, lease: granted.id)
                (lease, leaseID) = (renewed, granted.id)
                Log.info("Found lease (ip: \(mine.subnet)) for current IP (\(publicIP)), reusing")
                return
            }
            guard let subnet = config.lowestFreeSubnet(taken: taken) else {
                try? etcd.revoke(granted.id)
                throw FlannelError("no free /\(config.subnetLength) left between SubnetMin \(IPv4Subnet.address(config.subnetMin.base)) and SubnetMax \(IPv4Subnet.address(config.subnetMax.base)): every one is leased")
            }
            let candidate = FlannelLease(subnet: subnet, publicIP: publicIP, vni: options.vni, vtepMAC: mac)
            if try etcd.create(candidate.key(prefix: options.prefix), candidate.value, lease: granted.id) {
                (lease, leaseID) = (candidate, granted.id)
                Log.info("Allocated lease (ip: \(subnet)) to current node (ip: \(publicIP)), TTL \(granted.ttl) s")
                return
            }
            try? etcd.revoke(granted.id)
            Log.info("Subnet \(subnet) was leased by another host meanwhile; looking again")
        }
        throw FlannelError("could not lease a subnet: another host took each one first, 16 times")
    }

    /// Programs the leases present now and returns the revision to watch from.
    mutating func synchronise() throws -> Int64 {
        let (pairs, revision) = try etcd.list(prefix: leasesDirectory)
        var present: [IPv4Subnet: FlannelLease] = [:]
        for pair in pairs {
            guard let peer = parse(pair) else { continue }
            present[peer.subnet] = peer
        }
        for (subnet, peer) in programmed where present[subnet] != peer { remove(peer) }
        for (subnet, peer) in present.sorted(by: { $0.key.base < $1.key.base }) where programmed[subnet] != peer { add(peer) }
        return revision
    }

    /// A lease of another host worth programming; nil (logged) for this host's own, for one of
    /// another backend or VNI, or one that cannot be read.
    private func parse(_ pair: EtcdKeyValue) -> FlannelLease? {
        let peer: FlannelLease
        do { peer = try FlannelLease(key: pair.key, prefix: options.prefix, value: pair.value) } catch {
            Log.error("Ignoring \(pair.key): \(error)")
            return nil
        }
        if peer.subnet == lease?.subnet { return nil }
        guard peer.backendType == "vxlan", peer.vni == options.vni, peer.vtepMAC != nil else {
            Log.error("Ignoring \(pair.key): backend \(peer.backendType) VNI \(peer.vni), not vxlan VNI \(options.vni) with a VtepMAC")
            return nil
        }
        return peer
    }

    private mutating func add(_ peer: FlannelLease) {
        if let old = programmed[peer.subnet] { remove(old) }
        do {
            try host.program(peer, mac: peer.vtepMAC!)
            programmed[peer.subnet] = peer
            Log.info("Subnet added: \(peer.subnet) via \(peer.publicIP) (VTEP MAC \(peer.vtepMAC!))")
        } catch {
            Log.error("Subnet \(peer.subnet): programming failed: \(error)")
        }
    }

    private mutating func remove(_ peer: FlannelLease) {
        programmed[peer.subnet] = nil
        do {
            try host.unprogram(peer, mac: peer.vtepMAC!)
            Log.info("Subnet removed: \(peer.subnet) (was via \(peer.publicIP))")
        } catch {
            Log.error("Subnet \(peer.subnet): removal failed: \(error)")
        }
    }

    /// The watch loop: renew the lease a third of the way into its TTL, apply each change
    /// of PREFIX/subnets/, and after a broken watch list everything again. Runs until killed.
    mutating func run(from revision: Int64) -> Never {
        let renewal = Duration.milliseconds(options.leaseTTL * 1000 / 3)
        var due = ContinuousClock.now + renewal
        var watch: EtcdWatch?
        var next = revision + 1
        while true {
            if ContinuousClock.now >= due {
                renew()
                due = ContinuousClock.now + renewal
            }
            do {
                if watch == nil { watch = try etcd.watch(prefix: leasesDirectory, from: next) }
                let left = ContinuousClock.now.duration(to: due).components
                guard let events = try watch!.next(timeout: max(0.05, Double(left.seconds) + Double(left.attoseconds) / 1e18)) else { continue }
                for event in events { apply(event) }
                if let last = events.last { next = Self.revision(of: last) + 1 }
            } catch {
                Log.error("Watch of \(leasesDirectory) failed: \(error); listing again")
                watch = nil
                sleep(1)
                if let revision = try? synchronise() { next = revision + 1 }
            }
        }
    }

    private static func revision(of event: EtcdEvent) -> Int64 {
        switch event {
        case .put(let pair): pair.modRevision
        case .delete(_, let revision): revision
        }
    }

    private mutating func apply(_ event: EtcdEvent) {
        switch event {
        case .put(let pair):
            if let peer = parse(pair), programmed[peer.subnet] != peer { add(peer) }
        case .delete(let key, _):
            guard let subnet = FlannelLease.subnet(ofKey: key, prefix: options.prefix) else { return }
            if subnet == lease?.subnet {
                Log.error("This host's lease \(key) was deleted; leasing again")
                renew(force: true)
            } else if let peer = programmed[subnet] {
                remove(peer)
            }
        }
    }

    /// Renews the lease; one that expired meanwhile (etcd unreachable for a TTL) is leased
    /// again, the same subnet if it is still free.
    private mutating func renew(force: Bool = false) {
        do {
            if !force, try etcd.keepAlive(leaseID) > 0 {
                Log.info("Lease renewed (ip: \(lease!.subnet), TTL \(options.leaseTTL) s)")
                return
            }
            try acquireLease()
        } catch {
            Log.error("Renewing the lease failed: \(error)")
        }
    }
}
