#if canImport(Glibc)
import Glibc
#endif

/// An IPv4 UDP socket in the network namespace of the thread that made it: the resolver's
/// listening end and dig's querying end.
public final class UDPSocket: Sendable {
    public let descriptor: FileDescriptor
    /// How the trace shows a datagram's bytes (dig shows its DNS messages decoded).
    private let render: @Sendable ([UInt8]) -> String

    /// A socket bound to `address`:`port`, or unbound (the kernel picks a port at the first
    /// `sendto`) when `address` is nil.
    ///
    /// The corresponding C functions are `socket(AF_INET, SOCK_DGRAM)` and `bind`.
    public init(binding address: IPAddress? = nil, port: UInt16 = 0,
                render: @escaping @Sendable ([UInt8]) -> String = { _ in "\"…\"" }) throws(KernelError) {
        self.render = render
        let fd = FileDescriptor(rawValue: try syscall("socket", ["AF_INET", "SOCK_DGRAM|SOCK_CLOEXEC", "IPPROTO_UDP"]) {
            socket(AF_INET, Int32(SOCK_DGRAM.rawValue) | Int32(SOCK_CLOEXEC.rawValue), Int32(IPPROTO_UDP))
        })
        descriptor = try fd.settingUp { fd throws(KernelError) in
            guard let address else { return }
            let end = SocketEnd(address: address, port: port)
            try end.passed(to: "bind", ["\(fd)", end.traced, "16"]) { bind(fd.rawValue, $0, $1) }
        }
    }

    deinit { descriptor.discard() }

    /// Sends one datagram to `end`.
    ///
    /// The corresponding C function is `sendto`.
    public func send(_ bytes: [UInt8], to end: SocketEnd) throws(KernelError) {
        let fd = descriptor
        try end.passed(to: "sendto", ["\(fd)", render(bytes), String(bytes.count), "0", end.traced, "16"]) {
            sendto(fd.rawValue, bytes, bytes.count, 0, $0, $1)
        }
    }

    /// Waits up to `timeout` seconds (forever when nil) for a datagram and returns it with its
    /// sender; nil when none came in time. A datagram longer than 4096 bytes is cut there. With
    /// `until`, the wait ends at that instant instead, and the trace still shows `timeout`, the
    /// whole wait, so that it reads the same every run.
    ///
    /// The corresponding C functions are `poll` and `recvfrom`.
    public func receive(timeout: Double?, until deadline: ContinuousClock.Instant? = nil) throws(KernelError) -> (bytes: [UInt8], from: SocketEnd)? {
        let fd = descriptor
        let shown = timeout.map { Int32($0 * 1000) } ?? -1
        let milliseconds = deadline.map { deadline in
            let left = ContinuousClock.now.duration(to: deadline).components
            return Int32(max(0, left.seconds * 1000 + left.attoseconds / 1_000_000_000_000_000))
        } ?? shown
        guard try awaitReadable(fd, milliseconds: milliseconds, shown: shown) else { return nil }
        return try receiveNow()
    }

    /// Makes `receive()` wait at most `seconds` for a datagram (a server's loop, which then
    /// looks at something else: one call a datagram instead of poll and recvfrom).
    ///
    /// The corresponding C function is `setsockopt(SO_RCVTIMEO)`.
    public func setReceiveTimeout(_ seconds: Double) throws(KernelError) {
        var time = timeval(tv_sec: Int(seconds), tv_usec: Int((seconds - Double(Int(seconds))) * 1e6))
        try syscall("setsockopt", ["\(descriptor)", "SOL_SOCKET", "SO_RCVTIMEO", "{tv_sec=\(time.tv_sec), tv_usec=\(time.tv_usec)}", "16"]) {
            setsockopt(descriptor.rawValue, SOL_SOCKET, SO_RCVTIMEO, &time, socklen_t(MemoryLayout<timeval>.size))
        }
    }

    /// Waits for a datagram as long as the receive timeout allows (forever without one);
    /// nil when none came in that time.
    ///
    /// The corresponding C function is `recvfrom`.
    public func receive() throws(KernelError) -> (bytes: [UInt8], from: SocketEnd)? {
        do {
            return try receiveNow()
        } catch where error.errno == Errno(EAGAIN) {
            return nil
        }
    }

    private func receiveNow() throws(KernelError) -> (bytes: [UInt8], from: SocketEnd) {
        let fd = descriptor
        var source = sockaddr_in()
        var length = socklen_t(MemoryLayout<sockaddr_in>.size)
        // On the stack: a new 4 KiB array every datagram cost the resolver more than its decoding.
        let bytes = try withUnsafeTemporaryAllocation(of: UInt8.self, capacity: 4096) { (buffer) throws(KernelError) -> [UInt8] in
            var received = 0
            // The funnel renders the arguments after the call, so the trace shows what arrived.
            let count = try syscall("recvfrom", ["\(fd)", render(Array(buffer[0..<received])), "4096", "0", SocketEnd(source).traced, "[16]"]) {
                let count = withUnsafeMutablePointer(to: &source) { pointer in
                    pointer.withMemoryRebound(to: sockaddr.self, capacity: 1) { recvfrom(fd.rawValue, buffer.baseAddress, buffer.count, 0, $0, &length) }
                }
                received = max(count, 0)
                return count
            }
            return Array(buffer[0..<count])
        }
        return (bytes, SocketEnd(source))
    }
}
