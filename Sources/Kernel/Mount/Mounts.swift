#if canImport(Glibc)
import Glibc
#endif
import CBoxLab

/// Attaching, changing and detaching mounts, and swapping the root.
public enum Mounts {
    /// Mounts a filesystem of type `fstype` from `source` on `target`, or, depending on `flags`,
    /// remounts, bind-mounts, moves a mount or changes its propagation (then `source`, `fstype`
    /// and `data` are ignored and may be nil). `data` is the filesystem's own option string.
    ///
    /// The corresponding C function is `mount`.
    public static func mount(
        source: String?, target: String, fstype: String?, flags: MountFlags, data: String?
    ) throws(KernelError) {
        // Overlay's data carries paths, shown whole (strace would cut it at its string limit).
        try syscall("mount", [
            source.map(tracePath) ?? "NULL", tracePath(target), nullOrQuoted(fstype), flags.description,
            nullOrQuoted(data, limit: .max),
        ]) {
            withOptionalCString(source) { source in
                withOptionalCString(fstype) { fstype in
                    withOptionalCString(data) { data in
                        Glibc.mount(source, target, fstype, flags.rawValue, data)
                    }
                }
            }
        }
    }

    /// Unmounts the filesystem mounted on `target` (the topmost one, if mounts are stacked).
    ///
    /// The corresponding C function is `umount2`.
    public static func unmount(_ target: String, flags: UnmountFlags = []) throws(KernelError) {
        try syscall("umount2", [tracePath(target), flags.description]) { Glibc.umount2(target, flags.rawValue) }
    }

    /// Makes `newRoot` the root mount of the calling process's mount namespace and moves the old
    /// root to `putOld`, which must be at or under `newRoot`. Both must be mount points' paths
    /// in a namespace whose root is not shared; `pivot_root(".", ".")` stacks the old root on
    /// the new one, to be detached with `umount2(".", MNT_DETACH)`. glibc has no wrapper, so
    /// CBoxLab makes it with `syscall(SYS_pivot_root, …)`.
    ///
    /// The corresponding C function is `pivot_root`.
    public static func pivotRoot(newRoot: String, putOld: String) throws(KernelError) {
        try syscall("pivot_root", [tracePath(newRoot), tracePath(putOld)]) {
            boxlab_pivot_root(newRoot, putOld)
        }
    }


    static func nullOrQuoted(_ text: String?, limit: Int = 64) -> String {
        text.map { traceQuote($0, limit: limit) } ?? "NULL"
    }
}
