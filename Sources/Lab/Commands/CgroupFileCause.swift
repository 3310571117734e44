import Kernel

/// Why reading or writing a cgroup file failed, when the file's name tells: a name of the
/// other cgroup version (memory.max on a v1 machine) or a value the file does not take.
/// nil when `path` is not under a cgroup mount.
func cgroupFileCause(_ path: String, _ error: KernelError) -> String? {
    guard let layout = try? CgroupLayout.detect(), layout.hierarchy(containing: path) != nil else { return nil }
    let name = String(path.split(separator: "/").last ?? "")
    switch error.errno {
    // Writing a name cgroupfs does not have fails with EACCES: it cannot be created.
    case .ENOENT, .EACCES:
        let directory = String(path.dropLast(name.count + 1))
        return CgroupFileNames.explanation(for: path, in: layout)
            ?? ((try? FileSystem.stat(directory)) == nil
                ? "the cgroup \(directory.split(separator: "/").last ?? "") does not exist: mkdir it first"
                : "a cgroup directory holds only the kernel's files, and \(name) is not one of them: ls the directory to see them")
    case .EINVAL: return CgroupFileNames.acceptedForm(of: name)
    default: return nil
    }
}
