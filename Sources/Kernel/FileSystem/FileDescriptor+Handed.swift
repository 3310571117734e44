#if canImport(Glibc)
import Glibc
#endif

/// A file opened by one program and used by the program it starts: BoxLab opens a host file
/// before it enters its sandbox, which cannot reach that file by name, and the process in the
/// sandbox reads or writes it through the inherited descriptor.
extension FileDescriptor {
    /// Writes all of `bytes`, one `write` per partial write.
    ///
    /// The corresponding C function is `write`.
    public func write(_ bytes: [UInt8]) throws(KernelError) {
        try OpenFile(descriptor: self).write(bytes)
    }

    /// Everything from the file's offset to its end.
    ///
    /// The corresponding C function is `read`.
    public func readToEnd() throws(KernelError) -> [UInt8] {
        try OpenFile(descriptor: self).readToEnd()
    }

    /// Sets close-on-exec, which an inherited descriptor was opened without: the programs
    /// this process starts do not get it.
    ///
    /// The corresponding C function is `fcntl` (`F_SETFD`).
    public func closeOnExec() throws(KernelError) {
        try syscall("fcntl", ["\(self)", "F_SETFD", "FD_CLOEXEC"]) {
            fcntl(rawValue, F_SETFD, FD_CLOEXEC)
        }
    }
}
