#if canImport(Glibc)
import Glibc
#endif
import Testing
import Kernel

@Suite struct FileDescriptorTests {
    @Test func closesOnceThroughTheFunnel() throws {
        var first = try FileSystem.open("/dev/null", flags: O_RDONLY | O_CLOEXEC)
        let number = first.rawValue
        let recorder = TraceRecorder()
        try Trace.recording(into: recorder) { try first.close() }
        #expect(recorder.entries.map(\.description) == ["close(\(number)) = 0"])
        #expect(first.rawValue == -1)

        // The kernel gives out the lowest free number, so the next open usually takes the one
        // just freed; closing `first` again must leave that file alone, and call nothing.
        var second = try FileSystem.open("/dev/null", flags: O_RDONLY | O_CLOEXEC)
        defer { try? second.close() }
        let again = TraceRecorder()
        try Trace.recording(into: again) { try first.close() }
        #expect(again.entries.isEmpty)
        #expect(fcntl(second.rawValue, F_GETFD) != -1)
    }

    @Test func aFailedCloseCarriesTheCallAndErrno() throws {
        // A number far above any this process has open.
        var stray = FileDescriptor(rawValue: 1_000_000)
        let error = try #require(throws: KernelError.self) { try stray.close() }
        #expect(error.call == "close")
        #expect(error.arguments == ["1000000"])
        #expect(error.errno == Errno(EBADF))
        #expect(stray.rawValue == -1)
    }

    @Test func traceShowsTheBareNumber() {
        #expect("\(FileDescriptor(rawValue: 7))" == "7")
    }
}
