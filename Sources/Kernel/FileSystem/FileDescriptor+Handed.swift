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

    /// Whether the programs this process starts get the descriptor (close-on-exec cleared or set).
    ///
    /// The corresponding C function is `fcntl` (`F_SETFD`).
    public func inheritedOnExec(_ inherited: Bool) throws(KernelError) {
        try syscall("fcntl", ["\(self)", "F_SETFD", inherited ? "0" : "FD_CLOEXEC"]) {
            fcntl(rawValue, F_SETFD, inherited ? 0 : FD_CLOEXEC)
        }
    }

    /// Hands the descriptor to the program this process runs next (the sandboxed worker):
    /// inherited, its number in the environment `variable`, untraced (BoxLab's own plumbing).
    public func handDown(as variable: String) throws(KernelError) {
        try Trace.untraced { () throws(KernelError) in try inheritedOnExec(true) }
        setenv(variable, String(rawValue), 1)
    }

    /// The descriptor handed down as `variable`, if one was: close-on-exec from now on and
    /// no longer named in the environment, so that the lab's programs get neither.
    public static func handedDown(as variable: String) -> FileDescriptor? {
        guard let number = ProcessEnvironment.value(variable).flatMap({ Int32($0) }) else { return nil }
        unsetenv(variable)
        let descriptor = FileDescriptor(rawValue: number)
        try? Trace.untraced { () throws(KernelError) in try descriptor.inheritedOnExec(false) }
        return descriptor
    }
}
