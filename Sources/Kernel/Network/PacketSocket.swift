#if canImport(Glibc)
import Glibc
#endif
import CBoxLab

/// A packet socket on one link, in the network namespace of the thread that made it: every
/// frame the link sends or receives, whole, from the Ethernet header on, as tcpdump(8) reads
/// them (without a BPF filter: the frames are sorted in Swift afterwards).
public final class PacketSocket: Sendable {
    public let descriptor: FileDescriptor
    /// The link's index in the socket's namespace.
    public let linkIndex: Int32

    /// Opens a socket that sees the frames of the link called `name`. The socket is made with
    /// protocol 0, which delivers nothing, and given ETH_P_ALL at `bind`: made with ETH_P_ALL
    /// at once it would queue the frames of every link until bound.
    ///
    /// The corresponding C functions are `socket(AF_PACKET, SOCK_RAW)`, `ioctl(SIOCGIFINDEX)`
    /// and `bind`.
    public init(link name: String) throws(KernelError) {
        let fd = FileDescriptor(rawValue: try syscall("socket", ["AF_PACKET", "SOCK_RAW|SOCK_CLOEXEC", "0"]) {
            socket(AF_PACKET, Int32(SOCK_RAW.rawValue) | Int32(SOCK_CLOEXEC.rawValue), 0)
        })
        var index: Int32 = 0
        descriptor = try fd.settingUp { fd throws(KernelError) in
            index = try PacketSocket.index(of: name, using: fd)
            var address = sockaddr_ll()
            address.sll_family = sa_family_t(AF_PACKET)
            address.sll_protocol = UInt16(ETH_P_ALL).bigEndian
            address.sll_ifindex = index
            try syscall("bind", ["\(fd)", "{sll_family=AF_PACKET, sll_protocol=htons(ETH_P_ALL), sll_ifindex=\(index)}", "20"]) {
                withUnsafePointer(to: &address) { pointer in
                    pointer.withMemoryRebound(to: sockaddr.self, capacity: 1) { bind(fd.rawValue, $0, socklen_t(MemoryLayout<sockaddr_ll>.size)) }
                }
            }
        }
        linkIndex = index
    }

    deinit { descriptor.discard() }

    /// The index of the link called `name` in the namespace of the socket `fd`.
    ///
    /// The corresponding C function is `ioctl(SIOCGIFINDEX)`.
    private static func index(of name: String, using fd: FileDescriptor) throws(KernelError) -> Int32 {
        let bytes = Array(name.utf8)
        var request = ifreq()
        guard !bytes.isEmpty, bytes.count < MemoryLayout.size(ofValue: request.ifr_ifrn.ifrn_name), !bytes.contains(0) else {
            throw KernelError(call: "ioctl", arguments: ["\(fd)", "SIOCGIFINDEX", "{ifr_name=\(traceQuote(name))}"], errno: .EINVAL)
        }
        withUnsafeMutableBytes(of: &request.ifr_ifrn.ifrn_name) { $0.copyBytes(from: bytes) }
        // The funnel renders the arguments after the call: the index is shown once the kernel gave one.
        try syscall("ioctl", ["\(fd)", "SIOCGIFINDEX", "{ifr_name=\(traceQuote(name))" + (request.ifr_ifru.ifru_ivalue == 0 ? "}" : ", ifr_ifindex=\(request.ifr_ifru.ifru_ivalue)}")]) {
            ioctl(fd.rawValue, UInt(SIOCGIFINDEX), &request)
        }
        return request.ifr_ifru.ifru_ivalue
    }

    /// Makes each read wait at most `seconds` for a frame.
    ///
    /// The corresponding C function is `setsockopt(SO_RCVTIMEO)`.
    public func setReceiveTimeout(_ seconds: Double) throws(KernelError) {
        var time = timeval(tv_sec: Int(seconds), tv_usec: Int((seconds - Double(Int(seconds))) * 1e6))
        try syscall("setsockopt", ["\(descriptor)", "SOL_SOCKET", "SO_RCVTIMEO", "{tv_sec=\(time.tv_sec), tv_usec=\(time.tv_usec)}", "16"]) {
            setsockopt(descriptor.rawValue, SOL_SOCKET, SO_RCVTIMEO, &time, socklen_t(MemoryLayout<timeval>.size))
        }
    }

    /// Reads frames until `count` of them pass `keep` (every frame, without a count, for as
    /// long as they come), or none comes within the receive timeout, or `limit` were read; returns
    /// the ones kept. A capture makes many reads that differ only in what they read: the trace
    /// shows them as one line, with each read's length.
    ///
    /// The corresponding C function is `recvfrom`.
    public func receiveFrames(count: Int? = nil, limit: Int = 1000, where keep: (CapturedFrame) -> Bool = { _ in true }) throws(KernelError) -> [CapturedFrame] {
        var kept: [CapturedFrame] = []
        var lengths: [String] = []
        var failure: KernelError?
        Trace.untraced {
            do throws(KernelError) {
                while kept.count < count ?? .max, lengths.count < limit {
                    guard let frame = try receive() else {
                        lengths.append("-1 \(Errno.EAGAIN)")
                        break
                    }
                    lengths.append(String(frame.length))
                    if keep(frame) { kept.append(frame) }
                }
            } catch {
                lengths.append("-1 \(error.errno)")
                failure = error
            }
        }
        let shown = lengths.count > 12 ? lengths.prefix(6) + ["…"] + lengths.suffix(3) : lengths[...]
        Trace.recorder?.record(TraceEntry(
            call: "recvfrom", arguments: ["\(descriptor)", "…", String(PacketSocket.capacity), "MSG_TRUNC", "{sll_family=AF_PACKET, sll_ifindex=\(linkIndex), …}", "[20]"],
            result: lengths.count == 1 ? lengths[0] : "\(shown.joined(separator: ", ")) /* \(lengths.count) calls */", errno: nil))
        if let failure { throw failure }
        return kept
    }

    /// The largest frame kept whole: a veth may hand over 64 KiB (GRO), cut there.
    static let capacity = 65536

    /// One frame, or nil when none came within the receive timeout.
    ///
    /// The corresponding C function is `recvfrom`.
    public func receive() throws(KernelError) -> CapturedFrame? {
        let fd = descriptor
        var source = sockaddr_ll()
        var length = socklen_t(MemoryLayout<sockaddr_ll>.size)
        do throws(KernelError) {
            return try withUnsafeTemporaryAllocation(of: UInt8.self, capacity: PacketSocket.capacity) { (buffer) throws(KernelError) -> CapturedFrame in
                // MSG_TRUNC: the result is the frame's length on the wire, even when longer than the buffer.
                let count = try syscall("recvfrom", ["\(fd)", "…", String(buffer.count), "MSG_TRUNC", "{sll_family=AF_PACKET, sll_ifindex=\(source.sll_ifindex), sll_pkttype=\(source.sll_pkttype)}", "[20]"]) {
                    withUnsafeMutablePointer(to: &source) { pointer in
                        pointer.withMemoryRebound(to: sockaddr.self, capacity: 1) { recvfrom(fd.rawValue, buffer.baseAddress, buffer.count, Int32(MSG_TRUNC), $0, &length) }
                    }
                }
                return CapturedFrame(bytes: Array(buffer[0..<min(count, buffer.count)]), length: count,
                                     direction: CapturedFrame.Direction(packetType: source.sll_pkttype), linkIndex: source.sll_ifindex)
            }
        } catch where error.errno == Errno(EAGAIN) {
            return nil
        }
    }
}

/// A frame a packet socket read: its bytes (from the Ethernet header) and which way it went.
public struct CapturedFrame: Sendable, Equatable {
    public var bytes: [UInt8]
    /// The frame's length on the link; longer than `bytes` when it was cut.
    public var length: Int
    public var direction: Direction
    public var linkIndex: Int32

    public init(bytes: [UInt8], length: Int, direction: Direction, linkIndex: Int32) {
        self.bytes = bytes
        self.length = length
        self.direction = direction
        self.linkIndex = linkIndex
    }

    /// `sll_pkttype`: sent by this host, or received (addressed to it, to everyone, to a
    /// group, or to another host: a bridge port or a promiscuous link sees those).
    public enum Direction: Sendable, Equatable, CustomStringConvertible {
        case outgoing
        case incoming(Receiver)

        public enum Receiver: Sendable, Equatable {
            case host, broadcast, multicast, otherHost
        }

        init(packetType: UInt8) {
            switch Int32(packetType) {
            case PACKET_OUTGOING: self = .outgoing
            case PACKET_BROADCAST: self = .incoming(.broadcast)
            case PACKET_MULTICAST: self = .incoming(.multicast)
            case PACKET_OTHERHOST: self = .incoming(.otherHost)
            default: self = .incoming(.host)
            }
        }

        /// `out` or `in`, as tcpdump's `-Q` names them.
        public var description: String { self == .outgoing ? "out" : "in" }
    }
}
