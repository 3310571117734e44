import Kernel
import Testing

/// nft's and iptables-nft's conversations with nf_tables (Fixtures/nft-*.hex, recorded by
/// scripts/capture-nft-fixtures).
extension NetlinkFixture {
    init(nft name: String) throws {
        try self.init(name, file: "nft")
    }

    /// The messages of the batch the tool sent, between NFNL_MSG_BATCH_BEGIN and END.
    func batch() throws -> [NetlinkMessage] {
        let datagram = try #require(sent.first { $0.count > 5 && $0[4] == 16 && $0[5] == 0 }, "no batch was sent")
        let messages = try NetlinkMessage.decode(datagram, protocol: .netfilter)
        #expect(messages.first?.name == "NFNL_MSG_BATCH_BEGIN")
        #expect(messages.last?.name == "NFNL_MSG_BATCH_END")
        return Array(messages.dropFirst().dropLast())
    }

    /// Every message the kernel sent, read as a netfilter socket reads them.
    func netfilterReplies() throws -> [NetlinkMessage] {
        try received.flatMap { datagram throws in try NetlinkMessage.decode(datagram, protocol: .netfilter) }
    }
}

/// `name` with the NULs of `IFNAMSIZ` (16 bytes), as nft compares interface names.
func interfaceName(_ name: String, size: Int = 16) -> [UInt8] {
    Array(name.utf8) + Array(repeating: 0, count: size - name.utf8.count)
}
