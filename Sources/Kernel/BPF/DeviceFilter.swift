/// The eBPF program a cgroup2 group runs at every open and mknod of a device node
/// (BPF_PROG_TYPE_CGROUP_DEVICE): cgroup v2's replacement for v1's devices.allow. It reads
/// `struct bpf_cgroup_dev_ctx` (access_type: the access in the high 16 bits, the type in the
/// low 16; major; minor), tries each rule in turn and returns 1 (allowed) at the first match,
/// 0 (EPERM) when none matches, the shape of runc's devicefilter.go.
public struct DeviceFilter: Sendable, Equatable {
    public let instructions: [BPFInstruction]

    // The registers: r1 the context on entry, then scratch; r2 the type, r3 the access, r4
    // the major, r5 the minor; r0 the verdict.
    private static let context: UInt8 = 1, kind: UInt8 = 2, access: UInt8 = 3, major: UInt8 = 4, minor: UInt8 = 5, verdict: UInt8 = 0

    public init(allowing rules: [DeviceRule]) {
        var program: [BPFInstruction] = [
            .loadWord(Self.kind, from: Self.context, offset: 0),
            .and32(Self.kind, 0xffff),
            .loadWord(Self.access, from: Self.context, offset: 0),
            .shiftRight32(Self.access, 16),
            .loadWord(Self.major, from: Self.context, offset: 4),
            .loadWord(Self.minor, from: Self.context, offset: 8),
        ]
        for rule in rules { program += Self.block(rule) }
        program += [.move(Self.verdict, 0), .exit]
        instructions = program
    }

    /// One rule: each test that fails jumps past the block's end, to the next rule.
    private static func block(_ rule: DeviceRule) -> [BPFInstruction] {
        // The jumps' offsets are known once the block's length is: built with 0, then set.
        var tests: [BPFInstruction] = []
        if let type = rule.kind.bpfType { tests.append(.jumpIfNotEqual(kind, type, offset: 0)) }
        if rule.access != .all {
            // Allowed only if the access asked for is within the rule's.
            tests += [.move32(context, from: access), .and32(context, Int32(rule.access.rawValue)), .jumpIfNotEqual(context, register: access, offset: 0)]
        }
        if let number = rule.major { tests.append(.jumpIfNotEqual(major, Int32(bitPattern: number), offset: 0)) }
        if let number = rule.minor { tests.append(.jumpIfNotEqual(minor, Int32(bitPattern: number), offset: 0)) }
        var block = tests + [.move(verdict, 1), .exit]
        for index in block.indices where block[index].code == 0x55 || block[index].code == 0x5d {
            block[index].offset = Int16(block.count - index - 1)
        }
        return block
    }

    /// The instructions as bpf(BPF_PROG_LOAD) takes them.
    public var bytes: [UInt8] { instructions.flatMap(\.bytes) }

    /// One instruction a line, numbered, as the verifier prints them.
    public var disassembly: [String] { instructions.enumerated().map { "\($0.offset): \($0.element.disassembly)" } }
}
