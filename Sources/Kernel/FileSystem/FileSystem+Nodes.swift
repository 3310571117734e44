#if canImport(Glibc)
import Glibc
#endif

extension FileSystem {
    /// Creates a device node, FIFO, socket or empty regular file. A character device 0,0 is
    /// what overlayfs uses as a whiteout.
    ///
    /// The corresponding C function is `mknod`.
    public static func mknod(
        _ path: String, type: FileType, permissions: UInt32, device: DeviceNumber
    ) throws(KernelError) {
        try syscall("mknod", [tracePath(path)] + nodeArguments(type, permissions, device)) {
            Glibc.mknod(path, type.modeBits | permissions, dev_t(device.rawValue))
        }
    }

    /// Creates the node `name` in `directory`, as `mknod` does; the umask clears bits of
    /// `permissions`.
    ///
    /// The corresponding C function is `mknodat`.
    public static func mknod(
        _ name: String, in directory: OpenDirectory, type: FileType, permissions: UInt32, device: DeviceNumber
    ) throws(KernelError) {
        try syscall("mknodat", ["\(directory.descriptor)", tracePath(name)] + nodeArguments(type, permissions, device)) {
            Glibc.mknodat(directory.descriptor.rawValue, name, type.modeBits | permissions, dev_t(device.rawValue))
        }
    }

    /// strace shows the device only for device nodes, where the kernel reads it.
    private static func nodeArguments(_ type: FileType, _ permissions: UInt32, _ device: DeviceNumber) -> [String] {
        [type.traceMode(permissions: permissions)] + (type.isDevice ? [device.traceDescription] : [])
    }
}
