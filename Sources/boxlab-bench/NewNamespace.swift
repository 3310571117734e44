import CBoxLab
import Foundation
import Glibc

/// Runs `body` on a thread of its own in a new network namespace (the programs it starts are
/// born there too), which goes when the thread ends and the last of them has exited: the
/// network of the machine, and even the sandbox's, is never touched.
func inNewNamespace<T>(_ body: @escaping () throws -> T) throws -> T {
    nonisolated(unsafe) var result: Result<T, any Error> = .failure(BenchError("the namespace's thread did not run"))
    nonisolated(unsafe) let work = body
    let done = DispatchSemaphore(value: 0)
    let thread = Thread {
        // CLONE_NEWNET (Glibc does not export it to Swift).
        if boxlab_unshare(0x4000_0000) != 0 {
            result = .failure(BenchError("unshare(CLONE_NEWNET): \(String(cString: strerror(errno)))"))
        } else {
            result = Result { try work() }
        }
        done.signal()
    }
    thread.start()
    done.wait()
    return try result.get()
}
