import Kernel

/// The calls a container's first process makes on itself between clone and exec, in the
/// order runc's rootfs_linux.go and crun's linux.c make them: its root filesystem, its
/// /proc, /dev and /sys, its volumes, pivot_root, its hostname, and its privileges.
struct ContainerRoot: Sendable {
    /// The container's directory on the host, holding the files Docker bind-mounts
    /// (`ContainerFiles`). The container mounts a tmpfs on its `layer` directory in its own
    /// mount namespace (the directory is made with it), for its own layer (`upper`, `work`) and the `rootfs` its root is
    /// assembled on: they end with the container, as `docker run --rm` removes them, and what
    /// it writes is memory charged to its cgroup.
    var directory: String
    /// overlayfs's `lowerdir`: the image's layers, topmost first.
    var lowerdir: String
    var volumes: [ContainerSpec.Volume]
    var hostname: String
    /// What root keeps inside, and what else keeps it in.
    var security = ContainerSecurity()
    /// Root is not the host's (BoxLab's sandbox, or a user namespace of the container's own),
    /// as for rootless runc and Podman: only host root may make device nodes, so the
    /// container's are bind mounts of BoxLab's own, and overlayfs keeps its attributes in
    /// user.overlay.* (`userxattr`).
    var rootless: Bool { ownUserNamespace || !UserNamespace.mapsHostRoot }
    /// `--user`: the ids the program runs as; nil: root.
    var user: ContainerUser.IDs?
    /// Cloned in a user namespace of its own (`--userns`), whose maps the parent wrote while it
    /// waited. Its mount points for /etc's files are in the init layer (`ContainerFiles.writeInitLayer`).
    var ownUserNamespace = false

    /// Where a container's programs are found, in order: the PATH Docker gives a container.
    static let searchPath = ["/usr/local/sbin", "/usr/local/bin", "/usr/sbin", "/usr/bin", "/sbin", "/bin"]

    /// What a container's program starts with in its environment (and BoxLab's mark, which
    /// `Invocation.launch` adds).
    static func environment(hostname: String?) -> [String] {
        ["PATH=" + searchPath.joined(separator: ":"), "HOME=/root"] + (hostname.map { ["HOSTNAME=" + $0] } ?? [])
    }

    /// The device nodes every container gets (the OCI runtime spec's default devices).
    static let devices: [(name: String, major: UInt32, minor: UInt32)] = [
        ("null", 1, 3), ("zero", 1, 5), ("full", 1, 7), ("random", 1, 8), ("urandom", 1, 9), ("tty", 5, 0),
    ]

    static let deviceLinks: [(target: String, name: String)] = [
        ("/proc/self/fd", "fd"), ("/proc/self/fd/0", "stdin"), ("/proc/self/fd/1", "stdout"), ("/proc/self/fd/2", "stderr"),
        ("pts/ptmx", "ptmx"),
    ]

    /// Docker's masked paths (runc's MaskPaths): kernel memory, keys, timers and hardware a
    /// container has no business reading, hidden in the order Docker lists them.
    static let maskedPaths = [
        "/proc/asound", "/proc/acpi", "/proc/kcore", "/proc/keys", "/proc/latency_stats", "/proc/timer_list",
        "/proc/timer_stats", "/proc/sched_debug", "/proc/scsi", "/sys/firmware", "/sys/devices/virtual/powercap",
    ]

    /// Docker's read-only paths (runc's ReadonlyPaths): the machine-wide knobs of /proc
    /// (sysctls, IRQ affinity, sysrq-trigger) that a container's root could otherwise write.
    static let readOnlyPaths = ["/proc/bus", "/proc/fs", "/proc/irq", "/proc/sys", "/proc/sysrq-trigger"]

    /// The flags /proc is mounted with, which its read-only paths keep.
    static let procFlags: MountFlags = [.noSuid, .noDev, .noExec]

    var layer: String { directory + "/layer" }
    var rootfs: String { layer + "/rootfs" }

    var operations: [SetupOperation] {
        // runc's nsexec, once the maps are written: the process is still the uid it was
        // cloned as, which the namespace does not map; it becomes the namespace's root, whose
        // files (its tmpfs, its upper layer) are then the container root's, 0 inside.
        var steps: [SetupOperation] = ownUserNamespace ? [.setUserIDs(0), .setGroupIDs(0), .clearSupplementaryGroups] : []
        steps += [
            .mount(source: "tmpfs", target: layer, fstype: "tmpfs", flags: [.noSuid, .noDev], data: "mode=755"),
            .makeDirectory(layer + "/upper", permissions: 0o755, existingIsFine: false),
            .makeDirectory(layer + "/work", permissions: 0o755, existingIsFine: false),
            .makeDirectory(rootfs, permissions: 0o755, existingIsFine: false),
            // No nodev, as Docker's root has none: the image's device nodes are harmless because
            // the container's cgroup lets it open only the default devices (`DeviceRule`).
            .mount(source: "overlay", target: rootfs, fstype: "overlay", flags: [],
                   data: "lowerdir=\(lowerdir),upperdir=\(layer)/upper,workdir=\(layer)/work" + (rootless ? ",userxattr" : "")),
            // A mount point of its own that pivot_root accepts, whatever it was made from.
            .mount(source: rootfs, target: rootfs, fstype: nil, flags: [.bind, .recursive], data: nil),
            .makeDirectory(rootfs + "/proc", permissions: 0o555, existingIsFine: true),
            .mount(source: "proc", target: rootfs + "/proc", fstype: "proc", flags: Self.procFlags, data: nil),
            .makeDirectory(rootfs + "/dev", permissions: 0o755, existingIsFine: true),
            .mount(source: "tmpfs", target: rootfs + "/dev", fstype: "tmpfs", flags: [.noSuid, .strictAtime], data: "mode=755,size=65536k"),
        ]
        for device in Self.devices {
            let path = rootfs + "/dev/" + device.name
            if rootless {
                steps.append(.createFile(path, permissions: 0o666))
                steps.append(.mount(source: "/dev/" + device.name, target: path, fstype: nil, flags: [.bind], data: nil))
                continue
            }
            steps.append(.makeNode(path, type: .characterDevice, permissions: 0o666, device: DeviceNumber(major: device.major, minor: device.minor)))
            steps.append(.changeMode(path, permissions: 0o666))
        }
        for link in Self.deviceLinks { steps.append(.symlink(target: link.target, path: rootfs + "/dev/" + link.name)) }
        steps += [
            .makeDirectory(rootfs + "/dev/pts", permissions: 0o755, existingIsFine: false),
            .mount(source: "devpts", target: rootfs + "/dev/pts", fstype: "devpts", flags: [.noSuid, .noExec], data: "newinstance,ptmxmode=0666,mode=0620"),
            .makeDirectory(rootfs + "/dev/shm", permissions: 0o1777, existingIsFine: false),
            .mount(source: "shm", target: rootfs + "/dev/shm", fstype: "tmpfs", flags: [.noSuid, .noDev, .noExec], data: "mode=1777,size=65536k"),
            // The container's own POSIX message queues: its IPC namespace's.
            .makeDirectory(rootfs + "/dev/mqueue", permissions: 0o755, existingIsFine: false),
            .mount(source: "mqueue", target: rootfs + "/dev/mqueue", fstype: "mqueue", flags: [.noSuid, .noDev, .noExec], data: nil),
            .makeDirectory(rootfs + "/sys", permissions: 0o555, existingIsFine: true),
            // Privileged, /sys is writable; but in a user namespace a new sysfs may be no more
            // writable than the one its mounter sees (the sandbox's is read-only).
            .mount(source: "sysfs", target: rootfs + "/sys", fstype: "sysfs", flags: security.privileged && !rootless ? [.noSuid, .noDev, .noExec] : [.readOnly, .noSuid, .noDev, .noExec], data: nil),
        ]
        // /etc/hosts, /etc/hostname, /etc/resolv.conf: a file of the container's directory bound
        // over each, made in its own layer where the image has none (as runc makes a mount
        // point), and only in an /etc reached without a symlink; O_NOFOLLOW refuses a link there.
        steps += [
            .makeDirectory(rootfs + "/etc", permissions: 0o755, existingIsFine: true),
            .resolveInRoot(root: rootfs, path: "etc"),
        ]
        for name in ContainerFiles.names {
            if !ownUserNamespace { steps.append(.createFile(rootfs + "/etc/" + name, permissions: 0o644)) }
            steps.append(.mount(source: directory + "/" + name, target: rootfs + "/etc/" + name, fstype: nil, flags: [.bind], data: nil))
        }
        for volume in volumes {
            // Each directory is made only in a parent the kernel found inside the root with no
            // symlink on the way, and the last one is checked before the mount: an image whose
            // /data is a link to /etc gets neither a directory nor a mount outside.
            var inside = ""
            for component in volume.target.split(separator: "/") {
                if !inside.isEmpty { steps.append(.resolveInRoot(root: rootfs, path: inside)) }
                inside += (inside.isEmpty ? "" : "/") + component
                steps.append(.makeDirectory(rootfs + "/" + inside, permissions: 0o755, existingIsFine: true))
            }
            steps.append(.resolveInRoot(root: rootfs, path: inside))
            let path = rootfs + "/" + inside
            steps.append(.mount(source: volume.source, target: path, fstype: nil, flags: [.bind, .recursive], data: nil))
            // A bind mount takes MS_RDONLY only when it is remounted.
            if volume.readOnly { steps.append(.mount(source: nil, target: path, fstype: nil, flags: volume.keeping.union([.bind, .remount, .readOnly]), data: nil)) }
        }
        steps += [
            .changeDirectory(rootfs),
            // The old root ends up stacked under the new one at "."; detaching it leaves the
            // container nothing of the host's tree.
            .pivotRoot(newRoot: ".", putOld: "."),
            .unmount(".", flags: .detach),
            .changeDirectory("/"),
        ]
        // runc's finalizeRootfs: the root bound read-only once nothing more is mounted in it.
        if security.readOnlyRoot { steps.append(.mount(source: nil, target: "/", fstype: nil, flags: [.bind, .remount, .readOnly], data: nil)) }
        steps.append(.setHostname(hostname))
        // After the hostname, as runc's standard_init does: read-only paths, then masked ones
        // (a masked path under a read-only one is still hidden).
        if !security.privileged {
            steps += Self.readOnlyPaths.map { .readOnlyPath($0, keeping: Self.procFlags) }
            steps += Self.maskedPaths.map { .maskPath($0) }
        }
        // runc's standard_init: no_new_privs before the capabilities go. Without it (Docker's
        // default), loading a filter takes CAP_SYS_ADMIN, so the filter comes before them too;
        // with it, last, so that as few calls as possible follow it.
        let filter = security.seccomp.map { SeccompFilter($0) }
        if security.noNewPrivileges {
            steps.append(.noNewPrivileges)
        } else if let filter {
            steps.append(.loadSeccompFilter(filter))
        }
        let kept = Set(security.capabilities)
        for capability in Capability.all() where !kept.contains(capability) { steps.append(.dropBoundingCapability(capability)) }
        // runc's finalizeNamespace and setupUser: the ids change with the permitted set kept,
        // the supplementary groups go (Docker gives a numeric user none), then the sets.
        if let user {
            steps += [.keepCapabilities, .clearSupplementaryGroups, .setGroupIDs(user.gid), .setUserIDs(user.uid), .clearKeepCapabilities]
        }
        // Docker gives a user other than root only the bounding set, as an execve by that
        // user would leave it: nothing effective, permitted or inheritable.
        steps.append(.setCapabilities(keep: (user?.uid ?? 0) == 0 ? security.capabilities : []))
        if security.noNewPrivileges, let filter { steps.append(.loadSeccompFilter(filter)) }
        return steps
    }
}
