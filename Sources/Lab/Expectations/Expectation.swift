import Kernel

/// One assertion about kernel state, from a line of an `expect` block.
///
/// The language (docs/expectations.md):
///
///     mount PATH [fstype=T] [propagation=P] [ro|rw] [OPTION=VALUE...]
///     file PATH [== "TEXT" | contains "TEXT"]
///     dir PATH [has NAME...]
///     absent PATH
///     whiteout PATH
///     opaque PATH
///     same PATH PATH
///     owner PATH == UID     (the file's owner as BoxLab's session sees it: stat's st_uid)
///     not EXPECTATION
///     still EXPECTATION     (holds before the step too: the step must not break it)
///
///     netns NAME
///     link NAME [in NS] [kind=K] [up|down] [master=BRIDGE] [mtu=N] [peer=[NS:]NAME] [mode=M] [parent=[NS:]NAME]
///          [id=VNI] [dstport=P] [local=ADDRESS] [dev=LINK]     (the last four: a VXLAN link's)
///     address ADDRESS/PREFIX on LINK [in NS]
///     route DESTINATION|default [via GATEWAY] [dev LINK] [onlink] [in NS]
///     fdb BRIDGE has MAC|[NS:]LINK on PORT [in NS]     (the bridge learned the MAC on the port)
///     fdb DEVICE has MAC|[NS:]LINK dst ADDRESS [in NS] (a VXLAN device tunnels the MAC to that host)
///     neigh ADDRESS lladdr MAC|[NS:]LINK dev LINK [in NS]
///     reach ADDRESS from NS|host
///     connect ADDRESS:PORT from NS|host
///     same-netns A B        (A, B: a namespace name, host, or a pid)
///     same-mac [NS:]LINK [NS:]LINK   (the two links have one MAC address: ipvlan's, not macvlan's)
///     seen-from, conntrack … translated to …: see `FlowExpectation`
///     resolve NAME from PROC|NS [== ADDRESS]: see `ResolveExpectation`
///     captured vxlan vni N inner icmp from NS to ADDRESS on NS:LINK: see `CaptureExpectation`
///     etcd KEY == JSON, etcd PREFIX has N keys, etcd PREFIX leases disjoint within config
///     [in NS]: see `EtcdExpectation`
///
///     cgroup GROUP                              (exists, in every hierarchy of the lab)
///     cgroup GROUP memory == 32M                (bytes, K, M, G, or max)
///     cgroup GROUP pids == 10
///     cgroup GROUP cpu == 10000/100000          (quota/period in µs; max)
///     cgroup GROUP frozen | thawed
///     cgroup GROUP has PROC                     (the process is in it: PROC as below)
///     cgroup GROUP FILE KEY OP N                (memory.events oom_kill >= 1, pids.events max >= 1,
///                                                cpu.stat nr_throttled >= 1; OP: == != >= > <= <)
///     ns, nspid, hostname, uid-map, process, mount … in PROC: see `ProcessExpectation`
///     seccomp PROC mode 2 [filters N], denied CALL in PROC [with ERRNO]: see `SeccompExpectation`
///     ns, nspid, hostname, uid_map, gid_map, caps, no_new_privs, process, mount … in PROC:
///     see `ProcessExpectation`
///
/// Paths are relative to the lab's workspace; NS is a network namespace by name (as in
/// /run/netns), or `host`: the namespace the session works in. GROUP is relative to the lab's
/// cgroup root; files and keys are named as in cgroup v2 or v1, and read from the file that
/// holds them on this machine.
public indirect enum Expectation: Sendable, Equatable {
    case mount(path: String, fstype: String?, propagation: String?, readOnly: Bool?, options: [(key: String, value: String)])
    case file(path: String, content: ContentRule?)
    case directory(path: String, entries: [String])
    case absent(path: String)
    case whiteout(path: String)
    case opaque(path: String)
    case sameFile(String, String)
    /// `owner PATH == UID`: who owns a file, as the session sees it.
    case owner(path: String, uid: UInt32)
    case netns(name: String)
    case link(LinkExpectation)
    case address(prefix: String, link: String, namespace: String)
    case route(destination: String, via: String?, device: String?, onlink: Bool, namespace: String)
    case fdb(ForwardingExpectation)
    /// `neigh ADDRESS lladdr MAC|[NS:]LINK dev LINK [in NS]`: the neighbour table's entry.
    case neighbour(address: String, linkAddress: MACReference, device: String, namespace: String)
    case reach(address: String, from: String)
    case connect(address: String, port: UInt16, from: String)
    case sameNetworkNamespace(String, String)
    /// `same-mac [NS:]LINK [NS:]LINK`: two links with one MAC address.
    case sameMAC(LinkName, LinkName)
    /// `sysctl net.ipv4.ip_forward == 1 [in NS]`: a kernel parameter's value.
    case sysctl(name: String, value: String, namespace: String)
    case netfilter(NetfilterExpectation)
    case flow(FlowExpectation)
    case resolve(ResolveExpectation)
    case captured(CaptureExpectation)
    case etcd(EtcdExpectation)
    case process(ProcessExpectation)
    case seccomp(SeccompExpectation)
    /// `mount … in PROC`: evaluated against what the process sees.
    case within(process: String, Expectation)
    case cgroup(CgroupExpectation)
    case not(Expectation)
    /// Holds before the step and must still hold after it ("lower is unchanged").
    case still(Expectation)

    public enum ContentRule: Sendable, Equatable {
        case equals(String)
        case contains(String)
    }

    /// The path the expectation is about; a later step that checks the same path supersedes
    /// an earlier step's expectation when earlier steps are re-checked.
    public var subject: String {
        switch self {
        case .mount(let path, _, _, _, _), .file(let path, _), .directory(let path, _), .absent(let path),
             .whiteout(let path), .opaque(let path), .sameFile(let path, _), .owner(let path, _):
            path
        case .netns(let name): "netns \(name)"
        case .link(let link): "link \(link.namespace):\(link.name)"
        case .address(let prefix, let link, let namespace): "address \(namespace):\(link):\(prefix)"
        case .route(let destination, _, _, _, let namespace): "route \(namespace):\(destination)"
        case .fdb(let fdb): "fdb \(fdb.namespace):\(fdb.device):\(fdb.entry.subject)"
        case .neighbour(let address, _, let device, let namespace): "neigh \(namespace):\(device):\(address)"
        case .reach(let address, let from): "reach \(from)->\(address)"
        case .connect(let address, let port, let from): "connect \(from)->\(address):\(port)"
        case .sameNetworkNamespace(let first, let second): "same-netns \(first) \(second)"
        case .sameMAC(let first, let second): "same-mac \(first) \(second)"
        case .sysctl(let name, _, let namespace): "sysctl \(namespace):\(name)"
        case .netfilter(let netfilter): netfilter.subject
        case .flow(let flow): flow.subject
        case .resolve(let resolve): resolve.subject
        case .captured(let captured): captured.subject
        case .etcd(let etcd): etcd.subject
        case .process(let expectation): expectation.subject
        case .seccomp(let seccomp): seccomp.subject
        case .within(let process, let inner): "\(inner.subject) in \(process)"
        case .cgroup(let cgroup): "cgroup \(cgroup.group) \(cgroup.aspect)"
        case .not(let inner), .still(let inner): inner.subject
        }
    }

    /// Links and namespaces change a moment after the call that changes them returns, and a
    /// server started with `&` listens a moment after it starts.
    var settles: Bool {
        switch self {
        case .netns, .link, .connect, .resolve: true
        // A lease appears once an agent has started, and goes a moment after its TTL.
        case .etcd: true
        // Counters and process states trail the program that moves them.
        // and v2 freezes a group a moment after cgroup.freeze is written.
        case .cgroup(let cgroup):
            switch cgroup.property {
            case .counter, .frozen: true
            default: false
            }
        case .process(.state): true
        case .not(let inner), .still(let inner): inner.settles
        default: false
        }
    }

    /// Whether the step is what makes it true (so it must fail before the step).
    public var changesWithStep: Bool {
        if case .still = self { return false }
        return true
    }

    public static func == (lhs: Expectation, rhs: Expectation) -> Bool {
        String(describing: lhs) == String(describing: rhs)
    }
}

/// `link NAME [in NS] [kind=K] [up|down] [master=BRIDGE] [mtu=N] [peer=[NS:]NAME] [mode=M] [parent=[NS:]NAME]`.
public struct LinkExpectation: Sendable, Equatable {
    public var name: String
    public var namespace: String = "host"
    public var kind: String?
    public var up: Bool?
    public var master: String?
    public var mtu: Int?
    /// The peer of a veth: its name and the namespace it is in.
    public var peer: (namespace: String, name: String)?
    /// A macvlan's or ipvlan's mode (`bridge`, `l2`).
    public var mode: String?
    /// The link a macvlan or ipvlan sits on, which stays where it was when the child moves to
    /// another namespace.
    public var parent: (namespace: String, name: String)?
    /// A VXLAN link's network identifier, UDP port, source address and the link its packets
    /// leave through.
    public var vni: UInt32?
    public var dstport: UInt16?
    public var local: String?
    public var device: String?

    public static func == (lhs: LinkExpectation, rhs: LinkExpectation) -> Bool {
        String(describing: lhs) == String(describing: rhs)
    }
}


/// `fdb DEVICE has MAC|[NS:]LINK on PORT|dst ADDRESS [in NS]`: an entry of a bridge's table
/// (which port a MAC was learned on) or of a VXLAN device's own (which host a MAC is
/// tunnelled to).
public struct ForwardingExpectation: Sendable, Equatable {
    public enum Place: Sendable, Equatable {
        /// The bridge's port the MAC is behind.
        case port(String)
        /// The remote host a VXLAN device sends the MAC's frames to.
        case destination(IPAddress)
    }

    public var device: String
    public var entry: MACReference
    public var place: Place
    public var namespace: String

    public init(device: String, entry: MACReference, place: Place, namespace: String) {
        self.device = device
        self.entry = entry
        self.place = place
        self.namespace = namespace
    }
}

/// A MAC address written as is (`0e:00:00:00:02:00`) or as a link's (`node3:flannel.1`).
public enum MACReference: Sendable, Equatable, CustomStringConvertible {
    case address(MACAddress)
    case link(LinkName)

    /// A MAC if the text is one, else a link, in `namespace` unless it says `NS:`.
    init(_ text: String, namespace: String) {
        if let mac = MACAddress(text), mac.bytes.count == 6 { self = .address(mac); return }
        let parts = text.split(separator: ":", maxSplits: 1).map(String.init)
        self = .link(parts.count == 2 ? LinkName(namespace: parts[0], name: parts[1]) : LinkName(namespace: namespace, name: text))
    }

    var isLink: Bool { if case .link = self { true } else { false } }

    /// Where traffic that teaches a bridge this MAC comes from.
    var sender: String {
        switch self {
        case .address(let mac): "the link that has \(mac)"
        case .link(let link): link.namespace
        }
    }

    /// `host:veth-c2`-style, as the subjects of expectations name things.
    var subject: String {
        switch self {
        case .address(let mac): "\(mac)"
        case .link(let link): "\(link.namespace):\(link.name)"
        }
    }

    /// `0e:00:00:00:02:00`, or `node3:flannel.1's MAC`.
    public var description: String {
        switch self {
        case .address(let mac): "\(mac)"
        case .link(let link): "\(link)'s MAC"
        }
    }
}

/// A link in a namespace, `c1:eth0`; written without the namespace when it is the host's.
public struct LinkName: Sendable, Equatable, CustomStringConvertible {
    public var namespace: String
    public var name: String

    public init(namespace: String, name: String) {
        self.namespace = namespace
        self.name = name
    }

    public var description: String { namespace == NetworkPlaces.host ? name : "\(namespace):\(name)" }
}
