import Foundation
import Kernel
import Lab

/// Leaving nothing behind.
enum Cleanup {
    /// `boxlab reset` in a place: it ends a session sandbox left there, unmounts what a --host
    /// run mounted, kills processes marked with the place's run directory and removes the
    /// run directory. Then the place's own files go.
    static func reset(_ place: Place, boxlab: String, labs: String, timeout: UInt64) {
        if FileManager.default.fileExists(atPath: place.run) {
            if let child = try? Spawned.start([boxlab, "reset"], environment: place.environment(labs: labs)) {
                if case .failure(let error) = Result(catching: { try child.finish(deadline: Clock.now() + timeout) }) {
                    FileHandle.standardError.write(Data("boxlab-bench: boxlab reset in \(place.base): \(error)\n".utf8))
                }
            }
        }
        try? FileManager.default.removeItem(atPath: place.base)
    }

    /// An in-process section's run directory: every mount below it detached (the lab's
    /// overlays, then the tmpfs), and the directory removed.
    static func remove(_ run: RunDirectory) {
        let mounted = (try? MountTable.read())?.mounts(under: run.path) ?? []
        for entry in mounted.reversed() { try? Mounts.unmount(entry.mountPoint, flags: .detach) }
        try? FileManager.default.removeItem(atPath: run.path)
    }
}
