import Testing
import Kernel

@Suite struct FileStatusTests {
    @Test(arguments: [
        (FileType.directory, UInt32(0o755), "drwxr-xr-x"),
        (.regular, 0o644, "-rw-r--r--"),
        (.characterDevice, 0, "c---------"),
        (.symlink, 0o777, "lrwxrwxrwx"),
        (.blockDevice, 0o660, "brw-rw----"),
        (.fifo, 0o600, "prw-------"),
        (.socket, 0o755, "srwxr-xr-x"),
        (.directory, 0o1777, "drwxrwxrwt"),
        (.directory, 0o1770, "drwxrwx--T"),
        (.regular, 0o4755, "-rwsr-xr-x"),
        (.regular, 0o2644, "-rw-r-Sr--"),
        (.regular, 0o6711, "-rws--s--x"),
    ])
    func modeStringAsLsPrintsIt(type: FileType, permissions: UInt32, expected: String) {
        #expect(FileStatus(type: type, permissions: permissions).modeString == expected)
    }

    @Test func whiteoutIsCharacterDeviceZeroZero() {
        #expect(FileStatus(type: .characterDevice, permissions: 0).isWhiteout)
        #expect(!FileStatus(type: .characterDevice, permissions: 0, rdev: DeviceNumber(major: 1, minor: 3)).isWhiteout)
        #expect(!FileStatus(type: .regular, permissions: 0).isWhiteout)
    }
}
