import Etcd
import Kernel

/// flanneld's flags that BoxLab's agent takes, with flanneld's defaults.
struct Options {
    var endpoints: [EtcdEndpoint] = []
    var interface: String?
    var prefix = "/coreos.com/network"
    var subnetFile = "/run/flannel/subnet.env"
    var leaseTTL: Int64 = 86400
    var vni: UInt32 = 1
    var port: UInt16 = 8472

    static let usage = "usage: boxlab-flannel --etcd-endpoints URL[,URL…] --iface NAME [--etcd-prefix /coreos.com/network] [--subnet-file /run/flannel/subnet.env] [--subnet-lease-ttl SECONDS] [--vni 1] [--port 8472]"

    /// Takes `--flag value` and flanneld's `--flag=value`.
    init(_ arguments: [String]) throws(UsageError) {
        var rest = arguments[...]
        while let argument = rest.popFirst() {
            var option = argument
            var value: String?
            if let equals = argument.firstIndex(of: "="), argument.hasPrefix("--") {
                option = String(argument[..<equals])
                value = String(argument[argument.index(after: equals)...])
            }
            guard let given = value ?? rest.popFirst() else { throw UsageError("\(option) needs a value") }
            switch option {
            case "--etcd-endpoints":
                switch EtcdEndpoint.list(given) {
                case .success(let list): endpoints = list
                case .failure(let error): throw UsageError("--etcd-endpoints: \(error)")
                }
            case "--iface":
                guard !given.isEmpty, given.utf8.count < 16, !given.contains("/") else { throw UsageError("--iface \(given): not an interface name") }
                interface = given
            case "--etcd-prefix":
                guard given.hasPrefix("/"), !given.hasSuffix("/") else { throw UsageError("--etcd-prefix \(given): give a key path like /coreos.com/network") }
                prefix = given
            case "--subnet-file":
                guard given.hasPrefix("/"), !given.hasSuffix("/") else { throw UsageError("--subnet-file \(given): give an absolute file path") }
                subnetFile = given
            case "--subnet-lease-ttl":
                guard let seconds = Int64(given), seconds >= 3 else { throw UsageError("--subnet-lease-ttl \(given): give a number of seconds, at least 3") }
                leaseTTL = seconds
            case "--vni":
                guard let id = UInt32(given), id < 1 << 24 else { throw UsageError("--vni \(given): give a VXLAN id from 0 to 16777215") }
                vni = id
            case "--port":
                guard let number = UInt16(given), number > 0 else { throw UsageError("--port \(given): not a port from 1 to 65535") }
                port = number
            default: throw UsageError("unknown option \(option)")
            }
        }
        guard !endpoints.isEmpty else { throw UsageError("--etcd-endpoints URL is required (e.g. http://192.168.32.128:2379)") }
        guard interface != nil else { throw UsageError("--iface NAME is required: the link whose address other hosts reach this one at") }
    }
}

struct UsageError: Error {
    let message: String
    init(_ message: String) { self.message = message }
}
