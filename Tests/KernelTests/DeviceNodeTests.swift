import Glibc
import Testing
import Kernel

@Suite(.enabled(if: getuid() == 0, "creating device nodes needs CAP_MKNOD"))
struct DeviceNodeTests {
    @Test func characterDeviceZeroZeroIsAWhiteout() throws {
        try withScratchDirectory { directory in
            let path = directory + "/x"
            let recorder = TraceRecorder()
            let status = try Trace.recording(into: recorder) {
                let zero = DeviceNumber(major: 0, minor: 0)
                try FileSystem.mknod(path, type: .characterDevice, permissions: 0o644, device: zero)
                return try FileSystem.lstat(path)
            }
            #expect(recorder.entries.map(\.description) == [
                #"mknod("\#(path)", S_IFCHR|0644, makedev(0, 0)) = 0"#,
                #"lstat("\#(path)", {st_mode=S_IFCHR|0644, st_rdev=makedev(0, 0), ...}) = 0"#,
            ])
            #expect(status.isWhiteout)
            #expect(status.modeString == "crw-r--r--")
        }
    }

    @Test func deviceNumbersSurviveTheRoundTrip() throws {
        try withScratchDirectory { directory in
            let device = DeviceNumber(major: 259, minor: 70000)
            try FileSystem.mknod(directory + "/blk", type: .blockDevice, permissions: 0o600, device: device)
            let status = try FileSystem.lstat(directory + "/blk")
            #expect(status.type == .blockDevice)
            #expect(status.rdev == device)
            #expect(!status.isWhiteout)
            #expect(status.modeString == "brw-------")
        }
    }
}
