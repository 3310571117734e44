import Kernel

/// What follows `type vxlan` in `ip link add`, read as iproute2 reads it: `id N [local A]
/// [remote A|group A] [dev LINK] [dstport P] [srcport MIN MAX] [ttl N|auto] [ageing S]
/// [learning|nolearning]`.
enum VXLANWords {
    static func options(_ sentence: inout IprouteWords) throws -> VXLANOptions {
        var options = VXLANOptions(id: 0)
        var id: UInt32?
        while let word = sentence.next() {
            switch word {
            case "id", "vni":
                let value = try sentence.value(after: word)
                guard let number = UInt32(value), number < 1 << 24 else {
                    throw sentence.call.failure("\"\(value)\" is not a VXLAN network identifier", cause: "a VNI is 24 bits: 0 to 16777215")
                }
                id = number
            case "local": options.local = try address(after: word, &sentence)
            case "remote", "group":
                let remote = try address(after: word, &sentence)
                if word == "group", !remote.isMulticast { throw sentence.call.failure("\(remote) is not a multicast group", cause: "a unicast peer is remote \(remote)") }
                if word == "remote", remote.isMulticast { throw sentence.call.failure("\(remote) is a multicast group", cause: "write group \(remote)") }
                options.remote = remote
            case "dev": options.device = .name(try sentence.value(after: word))
            case "dstport", "port": options.port = try port(after: word, &sentence)
            case "srcport":
                let low = try port(after: word, &sentence), high = try port(after: word, &sentence)
                guard low <= high else { throw sentence.call.failure("srcport \(low) \(high) is no range", cause: "write the lower port first") }
                options.sourcePorts = low...high
            case "ttl", "hoplimit":
                let value = try sentence.value(after: word)
                if value == "auto" { options.ttl = 0; continue }
                guard let ttl = UInt8(value) else { throw sentence.call.failure("\"\(value)\" is not a TTL", cause: "1 to 255, or auto") }
                options.ttl = ttl
            case "ageing":
                let value = try sentence.value(after: word)
                guard let seconds = UInt32(value) else { throw sentence.call.failure("\"\(value)\" is not a number of seconds") }
                options.ageing = seconds
            case "learning": options.learning = true
            case "nolearning": options.learning = false
            default:
                throw sentence.unexpected(word, expected: "id N, local A, remote A, group A, dev LINK, dstport P, srcport MIN MAX, ttl N, ageing S, learning or nolearning")
            }
        }
        guard let id else {
            throw sentence.call.failure("a vxlan link needs its network identifier: id N", cause: "e.g. type vxlan id 1 local 192.168.32.129 dev eth0 dstport 8472")
        }
        options.id = id
        if let local = options.local, let remote = options.remote, local.family != remote.family {
            throw sentence.call.failure("local \(local) and remote \(remote) are of two families", cause: "the outer packets are IPv4 or IPv6, not both")
        }
        return options
    }

    private static func address(after keyword: String, _ sentence: inout IprouteWords) throws -> IPAddress {
        let value = try sentence.value(after: keyword)
        guard let address = IPAddress(value) else { throw sentence.call.failure("\"\(value)\" is not an address", cause: "e.g. \(keyword) 192.168.32.129") }
        return address
    }

    private static func port(after keyword: String, _ sentence: inout IprouteWords) throws -> UInt16 {
        let value = try sentence.value(after: keyword)
        guard let port = UInt16(value) else { throw sentence.call.failure("\"\(value)\" is not a UDP port", cause: "0 to 65535; flannel uses 8472, IANA's is 4789") }
        return port
    }
}
