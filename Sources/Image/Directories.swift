import Kernel

/// Makes each directory of `paths` that does not exist yet, in order.
func makeDirectories(_ paths: [String]) throws {
    for path in paths where (try? FileSystem.lstat(path)) == nil {
        try FileSystem.mkdir(path)
    }
}
