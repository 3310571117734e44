#if canImport(Glibc)
import Glibc
#endif
import CBoxLab

extension FileSystem {
    /// The value of an extended attribute, following symbolic links; throws ENODATA when the
    /// attribute is not set. `trusted.*` names need CAP_SYS_ADMIN.
    ///
    /// The corresponding C function is `getxattr`.
    public static func getxattr(_ path: String, _ name: String) throws(KernelError) -> [UInt8] {
        try sizedRead("getxattr", [tracePath(path), traceQuote(name)]) {
            boxlab_getxattr(path, name, $0, $1)
        }
    }

    /// The names of the extended attributes set on `path` that the caller may see.
    ///
    /// The corresponding C function is `listxattr`.
    public static func listxattr(_ path: String) throws(KernelError) -> [String] {
        let list = try sizedRead("listxattr", [tracePath(path)]) {
            boxlab_listxattr(path, $0?.assumingMemoryBound(to: CChar.self), $1)
        }
        return list.split(separator: 0).map { String(decoding: $0, as: UTF8.self) }
    }

    /// Sets an extended attribute, creating or replacing it.
    ///
    /// The corresponding C function is `setxattr`.
    public static func setxattr(_ path: String, _ name: String, _ value: [UInt8]) throws(KernelError) {
        try syscall("setxattr", [tracePath(path), traceQuote(name), traceQuote(value), "\(value.count)", "0"]) {
            value.withUnsafeBytes { boxlab_setxattr(path, name, $0.baseAddress, $0.count, 0) }
        }
    }

    /// Sets an extended attribute of an open directory, creating or replacing it: the inode
    /// held open, whatever its path now leads to.
    ///
    /// The corresponding C function is `fsetxattr`.
    public static func setxattr(_ directory: OpenDirectory, _ name: String, _ value: [UInt8]) throws(KernelError) {
        try syscall("fsetxattr", ["\(directory.descriptor)", traceQuote(name), traceQuote(value), "\(value.count)", "0"]) {
            value.withUnsafeBytes { boxlab_fsetxattr(directory.descriptor.rawValue, name, $0.baseAddress, $0.count, 0) }
        }
    }

    /// Asks for the size with an empty buffer, then reads into one that large, as getfattr(1)
    /// does. ERANGE means the value grew in between, so it asks again.
    private static func sizedRead(
        _ call: String, _ leading: [String], _ body: (UnsafeMutableRawPointer?, Int) -> Int
    ) throws(KernelError) -> [UInt8] {
        while true {
            let size = try syscall(call, leading + ["NULL", "0"]) { body(nil, 0) }
            if size == 0 { return [] }
            var buffer = [UInt8](repeating: 0, count: size)
            var value: [UInt8]?
            do {
                try syscall(call, leading + [value.map { traceQuote($0) } ?? "0x…", "\(size)"]) {
                    let result = buffer.withUnsafeMutableBytes { body($0.baseAddress, size) }
                    if result >= 0 { value = Array(buffer[..<result]) }
                    return result
                }
                return value!
            } catch where error.errno == Errno(ERANGE) {
                continue
            }
        }
    }
}
