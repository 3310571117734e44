#if canImport(Glibc)
import Glibc
#endif

/// A bound `AF_NETLINK` socket: the way to the kernel's rtnetlink (`NETLINK_ROUTE`) or
/// nfnetlink (`NETLINK_NETFILTER`), in the network namespace of the thread that opened it,
/// for good.
struct NetlinkSocket: Sendable {
    private(set) var descriptor: FileDescriptor
    let netlinkProtocol: NetlinkProtocol

    /// linux/netlink.h; Glibc's module does not bring it in.
    private static let solNetlink: Int32 = 270
    private static let extendedAck: Int32 = 11
    private static let strictChecking: Int32 = 12
    /// `struct sockaddr_nl`: family, padding, port id, multicast groups.
    private static let addressSize = 12
    /// More than the 32 KiB the kernel puts in one dump datagram.
    private static let receiveSize = 65536

    /// Opens the socket, asks for the kernel's error messages (extended ack) and for dump
    /// requests to be checked and their filters applied (strict checking, as `ip` does),
    /// and binds it; the kernel picks the port id.
    ///
    /// The corresponding C functions are `socket`, `setsockopt` and `bind`.
    static func open(_ netlinkProtocol: NetlinkProtocol = .route) throws(KernelError) -> NetlinkSocket {
        let flags = Int32(SOCK_RAW.rawValue) | Int32(SOCK_CLOEXEC.rawValue)
        let descriptor = try syscall("socket", ["AF_NETLINK", "SOCK_RAW|SOCK_CLOEXEC", netlinkProtocol.name]) {
            socket(AF_NETLINK, flags, netlinkProtocol.rawValue)
        }
        let opened = NetlinkSocket(descriptor: FileDescriptor(rawValue: descriptor), netlinkProtocol: netlinkProtocol)
        do throws(KernelError) {
            try opened.enable(extendedAck, "NETLINK_EXT_ACK")
            try opened.enable(strictChecking, "NETLINK_GET_STRICT_CHK")
            try opened.bind()
        } catch {
            opened.close()
            throw error
        }
        return opened
    }

    /// The corresponding C function is `setsockopt`.
    private func enable(_ option: Int32, _ name: String) throws(KernelError) {
        var on: Int32 = 1
        try syscall("setsockopt", ["\(descriptor)", "SOL_NETLINK", name, "[1]", "4"]) {
            setsockopt(descriptor.rawValue, Self.solNetlink, option, &on, socklen_t(MemoryLayout<Int32>.size))
        }
    }

    /// The corresponding C function is `bind`.
    private func bind() throws(KernelError) {
        var address = Self.kernelAddress()
        try syscall("bind", ["\(descriptor)", "{sa_family=AF_NETLINK, nl_pid=0, nl_groups=00000000}", "\(Self.addressSize)"]) {
            withUnsafePointer(to: &address) {
                $0.withMemoryRebound(to: sockaddr.self, capacity: 1) { Glibc.bind(descriptor.rawValue, $0, socklen_t(Self.addressSize)) }
            }
        }
    }

    /// Sends one request to the kernel (port id 0), or several in one datagram (an
    /// nf_tables batch).
    ///
    /// The corresponding C function is `sendmsg`.
    func send(_ messages: [NetlinkMessage]) throws(KernelError) {
        var bytes = messages.flatMap { $0.encoded() }
        var address = Self.kernelAddress()
        try syscall("sendmsg", ["\(descriptor)", Self.rendered(.success(messages)), "0"]) {
            bytes.withUnsafeMutableBytes { buffer in
                var vector = iovec(iov_base: buffer.baseAddress, iov_len: buffer.count)
                return withUnsafeMutablePointer(to: &address) { name in
                    withUnsafeMutablePointer(to: &vector) { vector in
                        var header = msghdr(
                            msg_name: UnsafeMutableRawPointer(name), msg_namelen: socklen_t(Self.addressSize),
                            msg_iov: vector, msg_iovlen: 1, msg_control: nil, msg_controllen: 0, msg_flags: 0
                        )
                        return sendmsg(descriptor.rawValue, &header, 0)
                    }
                }
            }
        }
    }

    /// Receives one datagram and decodes its messages. Datagrams that did not come from the
    /// kernel (another process can send to any port id) are skipped.
    ///
    /// The corresponding C function is `recvmsg`.
    func receive() throws(KernelError) -> [NetlinkMessage] {
        while true {
            var buffer = [UInt8](repeating: 0, count: Self.receiveSize)
            var sender = sockaddr_storage()
            var messageFlags: Int32 = 0
            var decoded: Result<[NetlinkMessage], NetlinkDecodingError>?
            let count = try syscall("recvmsg", ["\(descriptor)", decoded.map(Self.rendered) ?? "0x…", "0"]) {
                let count = buffer.withUnsafeMutableBytes { buffer in
                    var vector = iovec(iov_base: buffer.baseAddress, iov_len: buffer.count)
                    return withUnsafeMutablePointer(to: &sender) { name in
                        withUnsafeMutablePointer(to: &vector) { vector in
                            var header = msghdr(
                                msg_name: UnsafeMutableRawPointer(name), msg_namelen: socklen_t(MemoryLayout<sockaddr_storage>.size),
                                msg_iov: vector, msg_iovlen: 1, msg_control: nil, msg_controllen: 0, msg_flags: 0
                            )
                            defer { messageFlags = header.msg_flags }
                            return recvmsg(descriptor.rawValue, &header, 0)
                        }
                    }
                }
                if count >= 0 { decoded = Result { () throws(NetlinkDecodingError) in try NetlinkMessage.decode(Array(buffer[..<count]), protocol: netlinkProtocol) } }
                return count
            }
            if messageFlags & Int32(MSG_TRUNC) != 0 {
                throw KernelError(call: "recvmsg", arguments: ["\(descriptor)", "/* a datagram larger than \(Self.receiveSize) bytes */"], errno: Errno(EMSGSIZE))
            }
            let senderPort = withUnsafeBytes(of: &sender) { $0.integer(at: 4, as: UInt32.self) }
            guard senderPort == 0 else { continue }
            switch decoded! {
            case .success(let messages): return messages
            case .failure(let error):
                throw KernelError(call: "recvmsg", arguments: ["\(descriptor)", "/* \(count) bytes: \(error) */"], errno: Errno(EIO))
            }
        }
    }

    /// The corresponding C function is `close`.
    consuming func close() {
        try? descriptor.close()
    }

    /// `{sa_family=AF_NETLINK, nl_pid=0, nl_groups=0}`: the kernel's address, and the one a
    /// socket binds to when it lets the kernel choose its port id.
    private static func kernelAddress() -> sockaddr_storage {
        var address = sockaddr_storage()
        address.ss_family = sa_family_t(AF_NETLINK)
        return address
    }

    /// One message as itself, several as a list.
    private static func rendered(_ decoded: Result<[NetlinkMessage], NetlinkDecodingError>) -> String {
        switch decoded {
        case .success(let messages) where messages.count == 1: messages[0].description
        case .success(let messages): "[" + messages.map(\.description).joined(separator: ", ") + "]"
        case .failure(let error): "/* \(error) */"
        }
    }
}
