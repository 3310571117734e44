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
        // strace shows the device only for device nodes, where the kernel reads it.
        let deviceArgument = type.isDevice ? [device.traceDescription] : []
        try syscall("mknod", [tracePath(path), type.traceMode(permissions: permissions)] + deviceArgument) {
            Glibc.mknod(path, type.modeBits | permissions, dev_t(device.rawValue))
        }
    }
}
