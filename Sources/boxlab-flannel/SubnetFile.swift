#if canImport(Glibc)
import Glibc
#endif
import Etcd
import Kernel

/// flannel's /run/flannel/subnet.env, the file docker's daemon (`--bip=${FLANNEL_SUBNET}
/// --mtu=${FLANNEL_MTU}`) is configured from, written in the agent's own mount namespace:
/// a tmpfs of its own holds it, so the agent never writes the host's (or the sandbox's) /run.
/// Another process reads it through /proc/PID/root.
enum SubnetFile {
    /// The agent must have been started in a mount namespace of its own (BoxLab's `flannel`
    /// command makes one; by hand, `unshare -m`): a process with Swift's threads cannot
    /// safely make one for itself. Its mounts are made private, then a tmpfs goes on the
    /// file's directory, or, when that does not exist, on its nearest existing ancestor.
    static func prepare(_ path: String) throws(FlannelError) {
        let own = try? FileSystem.readlink("/proc/self/ns/mnt")
        let parent = try? FileSystem.readlink("/proc/\(getppid())/ns/mnt")
        guard let own, own != parent else {
            throw FlannelError("run it in a mount namespace of its own (unshare -m boxlab-flannel …): it mounts a tmpfs for \(path) there, not on the host's")
        }
        let directory = parentDirectory(of: path)
        var mountPoint = directory
        while mountPoint != "/", (try? FileSystem.lstat(mountPoint)) == nil { mountPoint = parentDirectory(of: mountPoint) }
        do {
            try Mounts.mount(source: nil, target: "/", fstype: nil, flags: [.recursive, .private], data: nil)
            try Mounts.mount(source: "tmpfs", target: mountPoint, fstype: "tmpfs", flags: [.noSuid, .noDev, .noExec], data: "mode=755,size=1m")
            var made = mountPoint
            for component in directory.dropFirst(mountPoint == "/" ? 1 : mountPoint.count + 1).split(separator: "/") {
                made += (made == "/" ? "" : "/") + component
                try FileSystem.mkdir(made)
            }
        } catch {
            throw FlannelError("cannot mount a tmpfs for \(path): \(error)")
        }
    }

    /// FLANNEL_NETWORK, FLANNEL_SUBNET (docker0's address and length), FLANNEL_MTU (the
    /// underlay's less VXLAN's 50 bytes of headers), FLANNEL_IPMASQ, as flanneld writes them.
    static func contents(network: IPv4Subnet, lease: FlannelLease, mtu: UInt32) -> String {
        "FLANNEL_NETWORK=\(network)\nFLANNEL_SUBNET=\(lease.subnet.firstHost)/\(lease.subnet.length)\nFLANNEL_MTU=\(mtu)\nFLANNEL_IPMASQ=false\n"
    }

    /// Written to a temporary name and renamed, so that a reader never sees half of it.
    static func write(_ text: String, to path: String) throws(KernelError) {
        try FileSystem.writeFile(path + ".tmp", Array(text.utf8))
        try FileSystem.rename(path + ".tmp", to: path)
    }

    private static func parentDirectory(of path: String) -> String {
        guard let slash = path.lastIndex(of: "/"), slash != path.startIndex else { return "/" }
        return String(path[..<slash])
    }
}
