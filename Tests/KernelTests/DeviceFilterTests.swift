@testable import Kernel
import Testing

/// The cgroup v2 device program BoxLab assembles itself: its bytes, checked against a
/// fixture worked out by hand from linux/bpf.h's encoding, and its disassembly. No root needed.
struct DeviceFilterTests {
    @Test func twoRulesAssembleToTheHandCheckedBytes() {
        let filter = DeviceFilter(allowing: [DeviceRule(.character, 1, 3, .all), DeviceRule(.character, nil, nil, .mknod)])
        // code, src<<4|dst, offset (LE 16), immediate (LE 32)
        let expected: [[UInt8]] = [
            [0x61, 0x12, 0, 0, 0, 0, 0, 0],          // r2 = *(u32 *)(r1 +0)   access_type
            [0x54, 0x02, 0, 0, 0xff, 0xff, 0, 0],    // w2 &= 0xffff          the type
            [0x61, 0x13, 0, 0, 0, 0, 0, 0],          // r3 = *(u32 *)(r1 +0)
            [0x74, 0x03, 0, 0, 16, 0, 0, 0],         // w3 >>= 16             the access
            [0x61, 0x14, 4, 0, 0, 0, 0, 0],          // r4 = major
            [0x61, 0x15, 8, 0, 0, 0, 0, 0],          // r5 = minor
            // c 1:3 rwm: any access, so no access test
            [0x55, 0x02, 4, 0, 2, 0, 0, 0],          // if r2 != 2 (char) goto the next rule
            [0x55, 0x04, 3, 0, 1, 0, 0, 0],          // if r4 != 1 goto …
            [0x55, 0x05, 2, 0, 3, 0, 0, 0],          // if r5 != 3 goto …
            [0xb7, 0x00, 0, 0, 1, 0, 0, 0],          // r0 = 1
            [0x95, 0, 0, 0, 0, 0, 0, 0],             // exit
            // c *:* m: the access asked for must be within mknod
            [0x55, 0x02, 5, 0, 2, 0, 0, 0],          // if r2 != 2 goto the end
            [0xbc, 0x31, 0, 0, 0, 0, 0, 0],          // w1 = w3
            [0x54, 0x01, 0, 0, 1, 0, 0, 0],          // w1 &= 1
            [0x5d, 0x31, 2, 0, 0, 0, 0, 0],          // if r1 != r3 goto the end
            [0xb7, 0x00, 0, 0, 1, 0, 0, 0],          // r0 = 1
            [0x95, 0, 0, 0, 0, 0, 0, 0],             // exit
            [0xb7, 0x00, 0, 0, 0, 0, 0, 0],          // r0 = 0: nothing matched
            [0x95, 0, 0, 0, 0, 0, 0, 0],             // exit
        ]
        #expect(filter.instructions.count == expected.count)
        for (index, instruction) in filter.instructions.enumerated() where index < expected.count {
            #expect(instruction.bytes == expected[index], "instruction \(index): \(instruction.disassembly)")
        }
        #expect(filter.bytes == expected.flatMap { $0 })
    }

    @Test func everyJumpLandsOnTheNextRuleOrTheEnd() {
        let filter = DeviceFilter(allowing: DeviceRule.containerDefaults)
        let starts = Set(filter.instructions.indices.filter { $0 >= 6 && ($0 == 6 || filter.instructions[$0 - 1] == .exit) })
        for (index, instruction) in filter.instructions.enumerated() where instruction.code == 0x55 || instruction.code == 0x5d {
            #expect(starts.contains(index + 1 + Int(instruction.offset)), "instruction \(index) jumps into a rule")
        }
        #expect(filter.instructions.suffix(2) == [.move(0, 0), .exit])
    }

    @Test func theDisassemblyReadsAsTheVerifierPrintsIt() {
        let lines = DeviceFilter(allowing: [DeviceRule(.block, nil, nil, .mknod)]).disassembly
        #expect(lines[0] == "0: r2 = *(u32 *)(r1 +0)")
        #expect(lines[1] == "1: w2 &= 65535")
        #expect(lines[6] == "6: if r2 != 0x1 goto pc+5")
        #expect(lines[9] == "9: if r1 != r3 goto pc+2")
        #expect(lines.last == "13: exit")
    }

    @Test func rulesReadAsDevicesAllowLines() {
        #expect(DeviceRule.containerDefaults.map(\.line) == [
            "c *:* m", "b *:* m", "c 1:3 rwm", "c 1:5 rwm", "c 1:7 rwm", "c 1:8 rwm", "c 1:9 rwm", "c 5:0 rwm", "c 136:* rwm", "c 5:2 rwm",
        ])
    }
}
