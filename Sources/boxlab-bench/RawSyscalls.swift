import CBoxLab
import Glibc
import Lab

/// The system calls an evaluation of expectations makes, made directly with glibc and
/// nothing else: no parsing, no strings, no results. The floor BoxLab's evaluation is
/// compared with.
///
/// The plan mirrors what BoxLab's Evaluator calls for expectations that pass (one read of
/// /proc/self/mountinfo per evaluation, then per expectation an lstat and the reads that
/// answer it); `strace -c` on both agrees on the calls.
struct RawSyscalls {
    enum Call {
        /// open, read until end of file (so two reads for a short file), close.
        case readFile([CChar])
        case lstat([CChar])
        /// open(O_DIRECTORY), getdents64 until it returns 0, close.
        case listDirectory([CChar])
        /// getxattr with no buffer for the size, then again with one.
        case getxattr([CChar], [CChar])

        var count: Int {
            switch self {
            case .readFile, .listDirectory: 4  // open, 2 × read/getdents64, close (for what fits one buffer)
            case .lstat: 1
            case .getxattr: 2
            }
        }
    }

    let calls: [Call]
    private var buffer = [UInt8](repeating: 0, count: 65536)

    /// The calls `expectations` need in `workspace`, when they hold.
    init(_ expectations: [Expectation], in workspace: Workspace) {
        calls = [.readFile(cPath("/proc/self/mountinfo"))] + expectations.flatMap { RawSyscalls.plan($0, workspace) }
    }

    private static func plan(_ expectation: Expectation, _ workspace: Workspace) -> [Call] {
        func path(_ relative: String) -> [CChar] { cPath(workspace.resolveFromRoot(relative)) }
        switch expectation {
        case .mount: return []  // answered from the mount table read once per evaluation
        case .file(let file, let content):
            return [.lstat(path(file))] + (content == nil ? [] : [.readFile(path(file))])
        case .directory(let directory, _): return [.lstat(path(directory)), .listDirectory(path(directory))]
        case .absent(let file), .whiteout(let file), .owner(let file, _): return [.lstat(path(file))]
        case .opaque(let directory): return [.lstat(path(directory)), .getxattr(path(directory), cPath("trusted.overlay.opaque"))]
        case .sameFile(let first, let second): return [.lstat(path(first)), .lstat(path(second))]
        case .not(let inner), .still(let inner): return plan(inner, workspace)
        case .netns, .link, .address, .route, .fdb, .neighbour, .reach, .connect, .sameNetworkNamespace, .sameMAC, .sysctl, .netfilter, .flow, .resolve, .captured, .etcd, .process, .seccomp, .within, .cgroup:
            return []  // the OverlayFS steps have none
        }
    }

    var count: Int { calls.reduce(0) { $0 + $1.count } }

    /// Makes the calls; returns how many failed (0 when the workspace is as the step left it).
    mutating func perform() -> Int {
        var failures = 0
        for call in calls {
            switch call {
            case .readFile(let path):
                let fd = open(path, O_RDONLY | O_CLOEXEC)
                guard fd >= 0 else { failures += 1; continue }
                while buffer.withUnsafeMutableBytes({ read(fd, $0.baseAddress, $0.count) }) > 0 {}
                close(fd)
            case .lstat(let path):
                var status = stat()
                if lstat(path, &status) != 0 { failures += 1 }
            case .listDirectory(let path):
                let fd = open(path, O_RDONLY | O_DIRECTORY | O_CLOEXEC)
                guard fd >= 0 else { failures += 1; continue }
                while buffer.withUnsafeMutableBytes({ boxlab_getdents64(fd, $0.baseAddress, 32768) }) > 0 {}  // BoxLab's size
                close(fd)
            case .getxattr(let path, let name):
                let size = boxlab_getxattr(path, name, nil, 0)
                guard size >= 0 else { failures += 1; continue }
                if buffer.withUnsafeMutableBytes({ boxlab_getxattr(path, name, $0.baseAddress, size) }) < 0 { failures += 1 }
            }
        }
        return failures
    }
}

private func cPath(_ text: String) -> [CChar] { Array(text.utf8CString) }
