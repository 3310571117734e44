import Testing
import Kernel

@Suite struct DeviceNumberTests {
    @Test(arguments: [
        (UInt32(0), UInt32(0), UInt64(0)),
        (1, 3, 0x103),                       // /dev/null
        (254, 0, 0xfe00),                    // /dev/vda
        (259, 1, 0x10301),
        (0x1234, 0x56789, 0x0000_1000_5672_3489),
        (0xffff_ffff, 0xffff_ffff, 0xffff_ffff_ffff_ffff),
    ])
    func encodesAsGlibcMakedev(major: UInt32, minor: UInt32, raw: UInt64) {
        let device = DeviceNumber(major: major, minor: minor)
        #expect(device.rawValue == raw)
        #expect(DeviceNumber(rawValue: raw) == device)
    }

    @Test func printsAsLsDoes() {
        #expect(DeviceNumber(major: 0, minor: 0).description == "0,0")
        #expect(DeviceNumber(rawValue: 0xfe00).description == "254,0")
    }
}
