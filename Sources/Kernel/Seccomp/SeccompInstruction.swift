/// One classic BPF instruction (`struct sock_filter`, 8 bytes): a 16-bit opcode, the
/// instructions to skip when a comparison holds and when it does not, and a 32-bit
/// constant. A seccomp filter is a list of them run against `struct seccomp_data` (the
/// system call's number at offset 0, the architecture at 4, then the instruction pointer
/// and the six arguments), and what it returns is the verdict.
public struct SeccompInstruction: Sendable, Equatable {
    public var code: UInt16
    public var jumpIfTrue: UInt8
    public var jumpIfFalse: UInt8
    public var constant: UInt32

    public init(code: UInt16, jumpIfTrue: UInt8 = 0, jumpIfFalse: UInt8 = 0, constant: UInt32) {
        self.code = code
        self.jumpIfTrue = jumpIfTrue
        self.jumpIfFalse = jumpIfFalse
        self.constant = constant
    }

    /// linux/filter.h's opcodes, the only ones a seccomp filter of BoxLab's needs.
    static let loadWord: UInt16 = 0x20        // BPF_LD | BPF_W | BPF_ABS: A = data[k]
    static let jumpIfEqual: UInt16 = 0x15     // BPF_JMP | BPF_JEQ | BPF_K
    static let jumpIfAtLeast: UInt16 = 0x35   // BPF_JMP | BPF_JGE | BPF_K
    static let returnConstant: UInt16 = 0x06  // BPF_RET | BPF_K

    /// `A = data[offset]`: the system call's number (0) or its architecture (4).
    public static func load(offset: UInt32) -> SeccompInstruction { SeccompInstruction(code: loadWord, constant: offset) }

    /// `if (A == value)` skip `then` instructions, else `otherwise`.
    public static func ifEqual(_ value: UInt32, then: UInt8 = 0, otherwise: UInt8 = 0) -> SeccompInstruction {
        SeccompInstruction(code: jumpIfEqual, jumpIfTrue: then, jumpIfFalse: otherwise, constant: value)
    }

    /// `if (A >= value)` skip `then` instructions, else `otherwise`.
    public static func ifAtLeast(_ value: UInt32, then: UInt8 = 0, otherwise: UInt8 = 0) -> SeccompInstruction {
        SeccompInstruction(code: jumpIfAtLeast, jumpIfTrue: then, jumpIfFalse: otherwise, constant: value)
    }

    /// `return action`: the filter's verdict on this call.
    public static func verdict(_ action: SeccompAction) -> SeccompInstruction {
        SeccompInstruction(code: returnConstant, constant: action.rawValue)
    }

    /// The 8 bytes the kernel reads, little-endian as on every machine BoxLab runs on.
    public var bytes: [UInt8] {
        [UInt8(code & 0xff), UInt8(code >> 8), jumpIfTrue, jumpIfFalse] + (0..<4).map { UInt8((constant >> (8 * $0)) & 0xff) }
    }

    /// What the instruction does, as seccomp-tools' disassembler writes it (`A = arch`,
    /// `if (A != unshare) goto 0011`, `return ERRNO(1)`), at `index` in its filter, where the
    /// accumulator holds the field at `loaded` (a number is named as that field's value).
    public func disassembly(at index: Int, loaded: UInt32?) -> String {
        func target(_ skip: UInt8) -> String { Self.line(index + 1 + Int(skip)) }
        switch code {
        case Self.loadWord:
            return "A = " + (SeccompData.fields[constant] ?? "data[\(constant)]")
        case Self.jumpIfEqual, Self.jumpIfAtLeast:
            let equal = code == Self.jumpIfEqual
            let value = SeccompData.name(of: constant, loaded: loaded, exact: equal)
            // As seccomp-tools: the branch that jumps is written, the other falls through.
            if jumpIfTrue == 0 {
                return "if (A \(equal ? "!=" : "<") \(value)) goto \(target(jumpIfFalse))"
            }
            let then = "if (A \(equal ? "==" : ">=") \(value)) goto \(target(jumpIfTrue))"
            return jumpIfFalse == 0 ? then : then + " else goto \(target(jumpIfFalse))"
        case Self.returnConstant:
            return "return " + SeccompAction(rawValue: constant).description
        default:
            return "(code 0x\(String(code, radix: 16)))"
        }
    }

    /// An instruction's number as seccomp-tools writes it: four digits.
    static func line(_ index: Int) -> String {
        let digits = String(index)
        return String(repeating: "0", count: max(0, 4 - digits.count)) + digits
    }
}

/// `struct seccomp_data`'s fields as a filter reads them.
public enum SeccompData {
    static let number: UInt32 = 0
    static let architecture: UInt32 = 4
    static let fields: [UInt32: String] = [number: "sys_number", architecture: "arch"]

    /// AUDIT_ARCH_X86_64 (linux/audit.h): EM_X86_64 | __AUDIT_ARCH_64BIT | __AUDIT_ARCH_LE.
    public static let x86_64: UInt32 = 0xc000_003e
    /// AUDIT_ARCH_I386: what a 32-bit program's calls carry, numbered differently.
    public static let i386: UInt32 = 0x4000_0003
    /// __X32_SYSCALL_BIT: x32 programs run on x86_64 with their numbers offset by it, so a
    /// filter that compares x86_64 numbers must turn them away.
    static let x32Bit: UInt32 = 0x4000_0000

    /// A compared constant as seccomp-tools names it: an architecture, a system call (when
    /// the accumulator holds the number and the comparison is for equality), else in hex.
    static func name(of value: UInt32, loaded: UInt32?, exact: Bool) -> String {
        switch loaded {
        case architecture? where value == x86_64: "ARCH_X86_64"
        case number? where exact: SystemCall(number: value).name
        default: "0x" + String(value, radix: 16)
        }
    }
}
