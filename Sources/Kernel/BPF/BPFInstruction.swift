/// One eBPF instruction (`struct bpf_insn`, 8 bytes): an opcode, a destination and a source
/// register, a signed 16-bit jump offset and a signed 32-bit immediate. Only the handful a
/// cgroup device filter needs are spelled here, as runc's devicefilter.go and crun's ebpf.c
/// use them: loads from the context, 32-bit AND, shift and move, jumps, and exit.
public struct BPFInstruction: Sendable, Equatable {
    public var code: UInt8
    public var destination: UInt8
    public var source: UInt8
    public var offset: Int16
    public var immediate: Int32

    /// BPF_LDX | BPF_MEM | BPF_W: `destination = *(u32 *)(source + offset)`.
    public static func loadWord(_ destination: UInt8, from source: UInt8, offset: Int16) -> BPFInstruction {
        BPFInstruction(code: 0x61, destination: destination, source: source, offset: offset, immediate: 0)
    }

    /// BPF_ALU | BPF_AND | BPF_K: the low 32 bits, the high ones cleared.
    public static func and32(_ destination: UInt8, _ immediate: Int32) -> BPFInstruction {
        BPFInstruction(code: 0x54, destination: destination, source: 0, offset: 0, immediate: immediate)
    }

    /// BPF_ALU | BPF_RSH | BPF_K.
    public static func shiftRight32(_ destination: UInt8, _ immediate: Int32) -> BPFInstruction {
        BPFInstruction(code: 0x74, destination: destination, source: 0, offset: 0, immediate: immediate)
    }

    /// BPF_ALU | BPF_MOV | BPF_X.
    public static func move32(_ destination: UInt8, from source: UInt8) -> BPFInstruction {
        BPFInstruction(code: 0xbc, destination: destination, source: source, offset: 0, immediate: 0)
    }

    /// BPF_ALU64 | BPF_MOV | BPF_K.
    public static func move(_ destination: UInt8, _ immediate: Int32) -> BPFInstruction {
        BPFInstruction(code: 0xb7, destination: destination, source: 0, offset: 0, immediate: immediate)
    }

    /// BPF_JMP | BPF_JNE | BPF_K: skips `offset` instructions unless `destination == immediate`.
    public static func jumpIfNotEqual(_ destination: UInt8, _ immediate: Int32, offset: Int16) -> BPFInstruction {
        BPFInstruction(code: 0x55, destination: destination, source: 0, offset: offset, immediate: immediate)
    }

    /// BPF_JMP | BPF_JNE | BPF_X: the same against a register.
    public static func jumpIfNotEqual(_ destination: UInt8, register source: UInt8, offset: Int16) -> BPFInstruction {
        BPFInstruction(code: 0x5d, destination: destination, source: source, offset: offset, immediate: 0)
    }

    /// BPF_JMP | BPF_EXIT: the program's verdict is r0.
    public static let exit = BPFInstruction(code: 0x95, destination: 0, source: 0, offset: 0, immediate: 0)

    /// The 8 bytes the kernel reads: code, the registers (destination in the low nibble),
    /// then offset and immediate, little-endian as on every machine BoxLab runs on.
    public var bytes: [UInt8] {
        let offset = UInt16(bitPattern: offset), immediate = UInt32(bitPattern: immediate)
        return [code, (source << 4) | (destination & 0x0f), UInt8(offset & 0xff), UInt8(offset >> 8)]
            + (0..<4).map { UInt8((immediate >> (8 * $0)) & 0xff) }
    }

    /// As the kernel's verifier log and `bpftool prog dump xlated` print it.
    public var disassembly: String {
        let jump = offset >= 0 ? "+\(offset)" : "\(offset)"
        return switch code {
        case 0x61: "r\(destination) = *(u32 *)(r\(source) \(jump))"
        case 0x54: "w\(destination) &= \(immediate)"
        case 0x74: "w\(destination) >>= \(immediate)"
        case 0xbc: "w\(destination) = w\(source)"
        case 0xb7: "r\(destination) = \(immediate)"
        case 0x55: "if r\(destination) != 0x\(String(UInt32(bitPattern: immediate), radix: 16)) goto pc\(jump)"
        case 0x5d: "if r\(destination) != r\(source) goto pc\(jump)"
        case 0x95: "exit"
        default: "(0x\(String(code, radix: 16)))"
        }
    }
}
