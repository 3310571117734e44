import Etcd
import Kernel

/// The host's side of flannel's vxlan backend, through rtnetlink: the VTEP flannel.1, the
/// addresses of flannel.1 and docker0, and for each other host's lease the three entries that
/// send its containers' traffic through VXLAN to it.
struct HostNetwork {
    static let vtep = "flannel.1"
    static let bridge = "docker0"

    let netlink: RouteNetlink

    /// The first IPv4 address of `interface` (the underlay address other hosts reach this one
    /// at: the lease's PublicIP) and the interface's MTU.
    func publicAddress(of interface: String) throws(FlannelError) -> (address: IPAddress, mtu: UInt32) {
        do {
            let link = try netlink.link(.name(interface))
            guard let address = try netlink.addresses(family: .inet).first(where: { $0.index == link.index }) else {
                throw FlannelError("\(interface) has no IPv4 address: give it the host's underlay address first")
            }
            return (address.prefix.address, link.mtu ?? 1500)
        } catch let error as KernelError where error.errno == .ENODEV {
            throw FlannelError("--iface \(interface): no such interface in this network namespace")
        } catch let error as FlannelError {
            throw error
        } catch {
            throw FlannelError("reading \(interface): \(error)")
        }
    }

    /// Makes flannel.1 (`type vxlan id VNI local PUBLIC dev IFACE dstport PORT nolearning`)
    /// unless a VXLAN link of that name is there (made by hand in an earlier step), brings it
    /// up and returns its MAC: the VtepMAC other hosts address this host's VTEP with.
    func ensureVTEP(vni: UInt32, local: IPAddress, interface: String, port: UInt16) throws -> (mac: MACAddress, created: Bool) {
        var created = false
        let existing: Link?
        do throws(KernelError) { existing = try netlink.link(.name(Self.vtep)) } catch {
            guard error.errno == .ENODEV else { throw error }
            existing = nil
        }
        if let existing, existing.kind != "vxlan" {
            throw FlannelError("\(Self.vtep) exists and is a \(existing.kind ?? "link") link, not vxlan: delete it")
        }
        if existing == nil {
            let options = VXLANOptions(id: vni, local: local, port: port, device: .name(interface), learning: false)
            try netlink.addLink(Self.vtep, .vxlan(options))
            created = true
        }
        try netlink.setLink(.name(Self.vtep), [.up])
        guard let mac = try netlink.link(.name(Self.vtep)).address else {
            throw FlannelError("\(Self.vtep) is up but the kernel reports no MAC address for it: a VTEP needs one")
        }
        return (mac, created)
    }

    /// flannel.1 gets SUBNET.0/32, docker0 (made if absent) SUBNET.1/LEN; an address already
    /// there is left alone. Both up.
    func configure(_ lease: FlannelLease) throws(KernelError) {
        try ensureAddress(IPPrefix(address: lease.vtepAddress, length: 32)!, on: Self.vtep)
        do { _ = try netlink.link(.name(Self.bridge)) } catch where error.errno == .ENODEV {
            try netlink.addLink(Self.bridge, .bridge)
        }
        try ensureAddress(IPPrefix(address: lease.subnet.firstHost, length: lease.subnet.length)!, on: Self.bridge)
        try netlink.setLink(.name(Self.bridge), [.up])
    }

    private func ensureAddress(_ prefix: IPPrefix, on link: String) throws(KernelError) {
        let index = try netlink.index(of: .name(link))
        if try netlink.addresses(family: .inet).contains(where: { $0.index == index && $0.prefix == prefix }) { return }
        try netlink.addAddress(prefix, to: .index(index))
    }

    /// What flannel programs for another host's lease: `neigh SUBNET.0 lladdr VTEPMAC dev
    /// flannel.1 permanent`, `fdb VTEPMAC dev flannel.1 dst PUBLICIP self permanent` and
    /// `route SUBNET via SUBNET.0 dev flannel.1 onlink`, each replacing what was there.
    func program(_ peer: FlannelLease, mac: MACAddress) throws(KernelError) {
        let device = LinkReference.name(Self.vtep)
        try netlink.addNeighbour(peer.vtepAddress, linkAddress: mac, device: device, replace: true)
        try netlink.addForwardingEntry(mac, device: device, destination: peer.publicIP, mode: .replace)
        try netlink.addRoute(prefix(of: peer), via: peer.vtepAddress, device: device, onlink: true, replace: true)
    }

    /// Removes the three entries; those already gone are no error.
    func unprogram(_ peer: FlannelLease, mac: MACAddress) throws(KernelError) {
        let device = LinkReference.name(Self.vtep)
        do { try netlink.deleteRoute(prefix(of: peer), via: peer.vtepAddress, device: device) } catch where error.errno == .ESRCH {}
        do { try netlink.deleteNeighbour(peer.vtepAddress, device: device) } catch where error.errno == .ENOENT {}
        do { try netlink.deleteForwardingEntry(mac, device: device, destination: peer.publicIP) } catch where error.errno == .ENOENT {}
    }

    private func prefix(of lease: FlannelLease) -> IPPrefix {
        IPPrefix(address: lease.vtepAddress, length: lease.subnet.length)!
    }
}
