/// A seccomp filter as BoxLab assembles it from a profile, in the shape libseccomp and
/// runc's filters take, written out so that every instruction reads on its own:
///
///     A = arch                          the architecture check: a program of another ABI
///     if (A == ARCH_X86_64) goto 0003   (i386 via int 0x80) would pass numbers that mean
///     return KILL_PROCESS               other calls on x86_64
///     A = sys_number
///     if (A < 0x40000000) goto 0006     x32's numbers carry bit 30: turned away too
///     return KILL_PROCESS
///     if (A != unshare) goto 0008       then one comparison and one verdict per call
///     return ERRNO(1)
///     …
///     return ALLOW                      the default
///
/// Each jump skips at most one instruction, so no profile outgrows BPF's 8-bit offsets.
public struct SeccompFilter: Sendable, Equatable {
    public let instructions: [SeccompInstruction]

    /// The filter for `profile`; without `checksArchitecture`, the lesson's mistake: a filter
    /// any 32-bit program walks through.
    public init(_ profile: SeccompProfile, checksArchitecture: Bool = true) {
        var program: [SeccompInstruction] = []
        if checksArchitecture {
            program += [.load(offset: SeccompData.architecture), .ifEqual(SeccompData.x86_64, then: 1), .verdict(.killProcess)]
        }
        program.append(.load(offset: SeccompData.number))
        if checksArchitecture {
            program += [.ifAtLeast(SeccompData.x32Bit, otherwise: 1), .verdict(.killProcess)]
        }
        var seen: Set<SystemCall> = []
        for rule in profile.rules {
            for call in rule.calls where seen.insert(call).inserted {
                program += [.ifEqual(call.number, otherwise: 1), .verdict(rule.action)]
            }
        }
        program.append(.verdict(profile.defaultAction))
        instructions = program
    }

    /// What the kernel's run of the filter returns for `call` made by a program of
    /// `architecture` (AUDIT_ARCH_*; x86_64's by default), every argument 0: the filter run
    /// here, instruction by instruction, as the kernel runs it.
    public func verdict(for call: SystemCall, architecture: UInt32 = SeccompData.x86_64) -> SeccompAction {
        verdict(number: call.number, architecture: architecture)
    }

    /// The verdict on a call by its number as the program's ABI numbers it.
    public func verdict(number: UInt32, architecture: UInt32) -> SeccompAction {
        var accumulator: UInt32 = 0
        var index = 0
        while index < instructions.count {
            let instruction = instructions[index]
            index += 1
            switch instruction.code {
            case SeccompInstruction.loadWord:
                accumulator = instruction.constant == SeccompData.architecture ? architecture
                    : instruction.constant == SeccompData.number ? number : 0
            case SeccompInstruction.jumpIfEqual, SeccompInstruction.jumpIfAtLeast:
                let holds = instruction.code == SeccompInstruction.jumpIfEqual ? accumulator == instruction.constant : accumulator >= instruction.constant
                index += Int(holds ? instruction.jumpIfTrue : instruction.jumpIfFalse)
            default:
                return SeccompAction(rawValue: instruction.constant)
            }
        }
        // The kernel refuses a filter that can run off its end; none of BoxLab's does.
        return .killProcess
    }

    /// The same call made through x86_64's other two ABIs, as the filter sees each: x32's
    /// number (x86_64's with bit 30 set) and i386's (where it has one). A filter that does not
    /// check the architecture and the x32 bit first lets them past its rules.
    public static func otherABIs(of call: SystemCall) -> [(abi: String, number: UInt32, architecture: UInt32)] {
        [("x32", call.number | SeccompData.x32Bit, SeccompData.x86_64)] + (call.i386Number.map { [("i386", $0, SeccompData.i386)] } ?? [])
    }

    /// The instructions as the kernel reads them (`struct sock_fprog`'s filter).
    public var bytes: [UInt8] { instructions.flatMap(\.bytes) }

    /// The bytes in hex: how launch.c receives a filter and the ledger keeps one.
    public var hex: String { bytes.map { String($0 >> 4, radix: 16) + String($0 & 0xf, radix: 16) }.joined() }

    /// The filter written as `hex`; nil unless it is whole instructions.
    public init?(hex: String) {
        let digits = Array(hex.utf8)
        guard !digits.isEmpty, digits.count % 16 == 0 else { return nil }
        var bytes: [UInt8] = []
        for index in stride(from: 0, to: digits.count, by: 2) {
            guard let byte = UInt8(String(decoding: digits[index...index + 1], as: UTF8.self), radix: 16) else { return nil }
            bytes.append(byte)
        }
        instructions = stride(from: 0, to: bytes.count, by: 8).map { at in
            SeccompInstruction(code: UInt16(bytes[at]) | UInt16(bytes[at + 1]) << 8, jumpIfTrue: bytes[at + 2], jumpIfFalse: bytes[at + 3],
                               constant: (0..<4).reduce(0) { $0 | UInt32(bytes[at + 4 + $1]) << (8 * $1) })
        }
    }

    /// The filter as `seccomp-tools dump` lists it: line, the raw fields, what it does.
    public var disassembly: [String] {
        var loaded: UInt32?
        var lines = [" line  CODE  JT   JF      K", "================================="]
        for (index, instruction) in instructions.enumerated() {
            func hex(_ value: UInt32, _ digits: Int) -> String {
                let text = String(value, radix: 16)
                return "0x" + String(repeating: "0", count: max(0, digits - text.count)) + text
            }
            lines.append(" \(SeccompInstruction.line(index)): \(hex(UInt32(instruction.code), 2)) \(hex(UInt32(instruction.jumpIfTrue), 2)) \(hex(UInt32(instruction.jumpIfFalse), 2)) \(hex(instruction.constant, 8))  "
                + instruction.disassembly(at: index, loaded: loaded))
            if instruction.code == SeccompInstruction.loadWord { loaded = instruction.constant }
        }
        return lines
    }
}
