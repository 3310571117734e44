/// Append-only files that must survive a crash or SIGKILL right after the call returns.
///
/// A write that returned is in the page cache, where every later reader sees it, SIGKILL or
/// not; there is no fsync, because what the journal names (mounts, namespaces, processes,
/// cgroups, links, files in /run) does not outlive the machine either.
public enum Journal {
    /// Appends `line` and a newline to `path`, creating it readable by its owner only.
    ///
    /// The corresponding C functions are `open` with `O_APPEND`, `write` and `close`.
    public static func append(_ line: String, to path: String) throws(KernelError) {
        try FileSystem.writeFile(path, Array((line + "\n").utf8), append: true, mode: 0o600)
    }
}
