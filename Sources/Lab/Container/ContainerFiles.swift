import Kernel

/// The three files Docker writes for every container in its directory and bind-mounts over
/// the image's: /etc/hosts, /etc/hostname and /etc/resolv.conf.
struct ContainerFiles: Sendable {
    static let names = ["hosts", "hostname", "resolv.conf"]

    var hostname: String
    /// Its own address, on the network it was started on.
    var address: String?
    /// `--link NAME[:ALIAS]`: the linked container's address then, its alias and its name.
    var links: [(address: String, alias: String?, name: String)] = []
    /// On a user-defined network: Docker's embedded resolver, at 127.0.0.11.
    var resolver: Bool

    /// As Docker writes it (libnetwork's etchosts): loopback, IPv6's names, the container
    /// itself, then the links.
    var hosts: String {
        var lines = [
            "127.0.0.1\tlocalhost", "::1\tlocalhost ip6-localhost ip6-loopback", "fe00::0\tip6-localnet",
            "ff00::0\tip6-mcastprefix", "ff02::1\tip6-allnodes", "ff02::2\tip6-allrouters",
        ]
        if let address { lines.append("\(address)\t\(hostname)") }
        for link in links { lines.append("\(link.address)\t" + ([link.alias].compactMap { $0 } + [link.name]).joined(separator: " ")) }
        return lines.joined(separator: "\n") + "\n"
    }

    var resolvConf: String {
        if resolver {
            return "# Docker's embedded resolver: user-defined networks resolve their containers' names\nnameserver 127.0.0.11\noptions ndots:0\n"
        }
        // Docker copies the host's nameservers here; BoxLab gives none: no packet leaves the machine.
        return "# The default bridge (and none, and host) has no embedded resolver: no names but those of /etc/hosts\n"
    }

    func contents(of name: String) -> String {
        switch name {
        case "hosts": hosts
        case "hostname": hostname + "\n"
        default: resolvConf
        }
    }

    /// Docker's init layer (its `ID-init`), made before the runtime starts: a layer over the
    /// image's, holding /etc and the three files' mount points. A container in its own user
    /// namespace needs it: the image's files belong to ids that namespace does not map, so its
    /// root (nobody to them) cannot make the mount points in the image's /etc. Docker's
    /// userns-remap chowns the image's layers to the container's root instead; BoxLab does
    /// not, so inside, the image's files (this /etc too) show as nobody's and stay read-only.
    static func writeInitLayer(_ layer: String) throws(KernelError) {
        try FileSystem.mkdir(layer)
        try FileSystem.mkdir(layer + "/etc")
        for name in names { try FileSystem.writeFile(layer + "/etc/" + name, []) }
    }

    /// Writes the three files in `directory` (the container's, on the host).
    func write(in directory: String) throws(KernelError) {
        for name in Self.names { try FileSystem.writeFile(directory + "/" + name, Array(contents(of: name).utf8)) }
    }
}
