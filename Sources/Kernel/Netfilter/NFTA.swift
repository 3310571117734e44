/// The nf_tables attribute types of linux/netfilter/nf_tables.h that BoxLab reads or
/// writes, one namespace a level. nf_tables carries every integer big-endian.
enum NFTA {
    enum Table {
        static let name: UInt16 = 1
        static let flags: UInt16 = 2
        static let use: UInt16 = 3
        static let handle: UInt16 = 4
    }

    enum Chain {
        static let table: UInt16 = 1
        static let handle: UInt16 = 2
        static let name: UInt16 = 3
        static let hook: UInt16 = 4
        static let policy: UInt16 = 5
        static let type: UInt16 = 7
        static let counters: UInt16 = 8
    }

    enum Hook {
        static let number: UInt16 = 1
        static let priority: UInt16 = 2
    }

    enum Rule {
        static let table: UInt16 = 1
        static let chain: UInt16 = 2
        static let handle: UInt16 = 3
        static let expressions: UInt16 = 4
        static let compat: UInt16 = 5
        static let position: UInt16 = 6
    }

    /// `NFTA_LIST_ELEM`: each expression of a rule's list.
    static let listElement: UInt16 = 1

    enum Expression {
        static let name: UInt16 = 1
        static let data: UInt16 = 2
    }

    enum Data {
        static let value: UInt16 = 1
        static let verdict: UInt16 = 2
    }

    enum Verdict {
        static let code: UInt16 = 1
        static let chain: UInt16 = 2
    }

    enum Payload {
        static let destination: UInt16 = 1
        static let base: UInt16 = 2
        static let offset: UInt16 = 3
        static let length: UInt16 = 4
    }

    enum Meta {
        static let destination: UInt16 = 1
        static let key: UInt16 = 2
    }

    enum Compare {
        static let source: UInt16 = 1
        static let op: UInt16 = 2
        static let data: UInt16 = 3
    }

    enum Bitwise {
        static let source: UInt16 = 1
        static let destination: UInt16 = 2
        static let length: UInt16 = 3
        static let mask: UInt16 = 4
        static let xor: UInt16 = 5
        static let op: UInt16 = 6
    }

    enum Immediate {
        static let destination: UInt16 = 1
        static let data: UInt16 = 2
    }

    enum NAT {
        static let type: UInt16 = 1
        static let family: UInt16 = 2
        static let addressMin: UInt16 = 3
        static let addressMax: UInt16 = 4
        static let portMin: UInt16 = 5
        static let portMax: UInt16 = 6
        static let flags: UInt16 = 7
    }

    enum Masquerade {
        static let flags: UInt16 = 1
        static let portMin: UInt16 = 2
        static let portMax: UInt16 = 3
    }

    enum Counter {
        static let bytes: UInt16 = 1
        static let packets: UInt16 = 2
    }

    enum Conntrack {
        static let destination: UInt16 = 1
        static let key: UInt16 = 2
        static let direction: UInt16 = 3
    }

    /// `NFTA_TARGET_*` and `NFTA_MATCH_*` alike: the xtables extension iptables-nft wraps.
    enum Xtables {
        static let name: UInt16 = 1
        static let revision: UInt16 = 2
        static let info: UInt16 = 3
    }

    /// `NFTA_RULE_COMPAT_*`: the protocol an iptables-nft rule matched (`-p`), which its
    /// xtables extensions check against.
    enum RuleCompat {
        static let proto: UInt16 = 1
        static let flags: UInt16 = 2
    }
}

extension NetlinkAttribute {
    /// A nest marked `NLA_F_NESTED`, as nft marks every one it sends.
    static func marked(_ type: UInt16, _ children: [NetlinkAttribute]) -> NetlinkAttribute {
        NetlinkAttribute(type: type, payload: encode(children), isNested: true)
    }

    /// The payload as a big-endian integer of its own width.
    func bigEndianInteger<T: FixedWidthInteger>(_ type: T.Type = T.self) -> T? {
        integer(T.self).map { T(bigEndian: $0) }
    }
}
