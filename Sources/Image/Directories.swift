import Kernel

/// Makes each directory of `paths` that does not exist yet, in order, with any missing
/// parents (a store's path may be a directory nobody has made yet, such as the run
/// directory of a first `container run`).
func makeDirectories(_ paths: [String]) throws {
    for path in paths where (try? FileSystem.lstat(path)) == nil {
        var built = path.hasPrefix("/") ? "" : "."
        for part in path.split(separator: "/") {
            built += "/" + part
            if (try? FileSystem.lstat(built)) == nil { try FileSystem.mkdir(built) }
        }
    }
}
