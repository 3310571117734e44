import Glibc
import Kernel

/// A host file the REPL reads or writes from inside its sandbox (a demo replayed or recorded).
/// The sandbox sees the host read-only and covers /tmp and /run with its own; a folder kept
/// writable there, as `record` keeps its transcripts folder, would be writable to every
/// program of the session. So the file is opened on the host before the sandbox is entered,
/// and the worker, which runs the same command line again inside it, inherits that one
/// descriptor, whose number an environment variable carries.
struct HandedFile {
    let path: String
    /// Names the inherited descriptor, from `hand` until `take`.
    let variable: String

    /// Before `enter`, on the host: opens the file without close-on-exec and names its
    /// descriptor in the environment. In the worker the variable is set already, and nothing
    /// is opened (the host's file may not be there to see).
    func hand(flags: Int32) throws {
        guard ProcessEnvironment.value(variable) == nil else { return }
        do throws(KernelError) {
            try Trace.untraced { () throws(KernelError) in try FileSystem.open(path, flags: flags, mode: 0o644) }.handDown(as: variable)
        } catch {
            throw failure("cannot open \(path): \(error.errno)", code: 1)
        }
    }

    /// After `enter`, where the session works: the descriptor, close-on-exec from now on and
    /// no longer named in the environment, so that the lab's programs get neither.
    func take() -> FileDescriptor? {
        FileDescriptor.handedDown(as: variable)
    }
}
