#if canImport(Glibc)
import Glibc
#endif

/// ICMP echo, as ping(8) sends it, from the network namespace of the calling thread.
public enum Ping {
    public struct Reply: Sendable, Equatable {
        public var sequence: UInt16
        public var from: IPAddress
        public var ttl: Int
        public var milliseconds: Double
    }

    /// Sends `count` echo requests to `address`, one every `interval` seconds, and returns the
    /// replies that arrived within `timeout` seconds of each request. Uses a raw ICMP socket,
    /// as ping(8) does as root: the datagram ("ping") socket needs net.ipv4.ping_group_range,
    /// which a new network namespace leaves closed.
    ///
    /// The corresponding C calls are `socket(AF_INET, SOCK_RAW, IPPROTO_ICMP)`, `sendto`,
    /// `poll` and `recvfrom`.
    public static func echo(_ address: IPAddress, count: Int, timeout: Double = 1, interval: Double = 0.2) throws(KernelError) -> [Reply] {
        let fd = FileDescriptor(rawValue: try syscall("socket", ["AF_INET", "SOCK_RAW|SOCK_CLOEXEC", "IPPROTO_ICMP"]) {
            socket(AF_INET, Int32(SOCK_RAW.rawValue) | Int32(SOCK_CLOEXEC.rawValue), Int32(IPPROTO_ICMP))
        })
        defer { fd.discard() }
        var replies: [Reply] = []
        for sequence in 1...UInt16(max(1, min(count, 1000))) {
            if sequence > 1 { usleep(UInt32(interval * 1_000_000)) }
            let sent = try send(fd, to: address, sequence: sequence)
            if let reply = try receive(fd, sequence: sequence, sent: sent, timeout: timeout) { replies.append(reply) }
        }
        return replies
    }

    private static func send(_ fd: FileDescriptor, to address: IPAddress, sequence: UInt16) throws(KernelError) -> timespec {
        // type 8 (echo request), code 0, checksum, identifier, sequence, payload.
        var packet: [UInt8] = [8, 0, 0, 0, UInt8(identifier >> 8), UInt8(identifier & 0xff), UInt8(sequence >> 8), UInt8(sequence & 0xff)]
            + Array("boxlab ping".utf8)
        let sum = checksum(packet)
        packet[2] = UInt8(sum >> 8)
        packet[3] = UInt8(sum & 0xff)
        var now = timespec()
        clock_gettime(CLOCK_MONOTONIC, &now)
        try SocketEnd(address: address, port: 0).passed(to: "sendto", ["\(fd)", "{type=ICMP_ECHO, seq=\(sequence)}", String(packet.count), "0", "{sin_family=AF_INET, sin_addr=\(address)}", "16"]) {
            sendto(fd.rawValue, &packet, packet.count, 0, $0, $1)
        }
        return now
    }

    private static func receive(_ fd: FileDescriptor, sequence: UInt16, sent: timespec, timeout: Double) throws(KernelError) -> Reply? {
        var deadline = sent
        deadline.tv_sec += Int(timeout)
        deadline.tv_nsec += Int((timeout - Double(Int(timeout))) * 1e9)
        while true {
            var now = timespec()
            clock_gettime(CLOCK_MONOTONIC, &now)
            let remaining = Double(deadline.tv_sec - now.tv_sec) * 1000 + Double(deadline.tv_nsec - now.tv_nsec) / 1e6
            if remaining <= 0 { return nil }
            guard try awaitReadable(fd, milliseconds: Int32(remaining), shown: Int32(timeout * 1000)) else { return nil }
            var buffer = [UInt8](repeating: 0, count: 1500)
            var source = sockaddr_in()
            var length = socklen_t(MemoryLayout<sockaddr_in>.size)
            let count = try syscall("recvfrom", ["\(fd)", "…", "1500", "0", "…"]) {
                withUnsafeMutablePointer(to: &source) { pointer in
                    pointer.withMemoryRebound(to: sockaddr.self, capacity: 1) { recvfrom(fd.rawValue, &buffer, buffer.count, 0, $0, &length) }
                }
            }
            // A raw socket delivers the IP header too; the ICMP message starts after it.
            let header = Int(buffer[0] & 0x0f) * 4
            guard count >= header + 8 else { continue }
            let icmp = buffer[header..<count].map { $0 }
            guard icmp[0] == 0, UInt16(icmp[4]) << 8 | UInt16(icmp[5]) == identifier,
                  UInt16(icmp[6]) << 8 | UInt16(icmp[7]) == sequence else { continue }
            clock_gettime(CLOCK_MONOTONIC, &now)
            let elapsed = Double(now.tv_sec - sent.tv_sec) * 1000 + Double(now.tv_nsec - sent.tv_nsec) / 1e6
            let from = IPAddress(bytes: withUnsafeBytes(of: source.sin_addr.s_addr) { Array($0) })!
            return Reply(sequence: sequence, from: from, ttl: Int(buffer[8]), milliseconds: elapsed)
        }
    }

    /// Tells our echoes' replies from other processes' (a raw socket sees every ICMP packet).
    private static var identifier: UInt16 { UInt16(truncatingIfNeeded: getpid()) }

    /// The Internet checksum (RFC 1071): the ones' complement of the ones' complement sum of 16-bit words.
    static func checksum(_ bytes: [UInt8]) -> UInt16 {
        var sum: UInt32 = 0
        for index in stride(from: 0, to: bytes.count, by: 2) {
            sum += UInt32(bytes[index]) << 8 | (index + 1 < bytes.count ? UInt32(bytes[index + 1]) : 0)
        }
        while sum >> 16 != 0 { sum = (sum & 0xffff) + (sum >> 16) }
        return ~UInt16(sum)
    }
}
