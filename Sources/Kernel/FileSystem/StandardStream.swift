/// Standard output and standard error, where BoxLab writes its own text: the REPL's, a
/// command's output, a trace as it is made. That is not a learner's system call, so it is
/// never traced; text that cannot be written (a closed terminal) is lost, as a shell's is.
public enum StandardStream: Int32, Sendable {
    case output = 1, error = 2

    /// The corresponding C function is `write`.
    public func write(_ text: String) {
        Trace.untraced { try? OpenFile(descriptor: FileDescriptor(rawValue: rawValue)).write(Array(text.utf8)) }
    }
}
