import FoundationEssentials
import Kernel

/// The labs BoxLab trusts (`--host` is for trusted labs): the ones installed with it, known by
/// where they are. Every other lab file is untrusted input (downloaded, written by a student,
/// mistyped), and on the host its `sh` blocks and programs, machine-wide sysctls and other
/// processes are refused unless the learner says `--trust` (see `Reach`).
///
/// The places: the labs/ folder of the checkout the running binary belongs to, found from
/// /proc/self/exe (never from argv[0] or the current directory, which whoever starts BoxLab
/// chooses: `cd ~/Downloads/x && sudo boxlab …` must not make ./labs trusted), and
/// /usr/share/boxlab/labs. BOXLAB_LABS says where labs are looked up, not what is trusted: a
/// lab found through it is BoxLab's own only when that folder is one of the two (the tests
/// and the VM tier point it at the checkout's). A file counts by its real path, directly in
/// one of them: a symlink in labs/ to a file elsewhere is not BoxLab's.
public enum InstalledLabs {
    public static let systemDirectory = "/usr/share/boxlab/labs"

    /// The labs/ folder beside the running binary's package (`.build/debug/boxlab` finds the
    /// repository's), walking up from the binary.
    public static func checkoutDirectory() -> String? {
        Trace.untraced {
            guard let executable = try? FileSystem.readlink("/proc/self/exe") else { return nil }
            var folder = URL(fileURLWithPath: executable).deletingLastPathComponent()
            for _ in 0..<8 {
                let candidate = folder.appendingPathComponent("labs").path
                if (try? FileSystem.stat(candidate + "/02-overlayfs.md")) != nil { return candidate }
                folder = folder.deletingLastPathComponent()
            }
            return nil
        }
    }

    /// Whether the lab file at `path` is one of BoxLab's own.
    public static func contains(file path: String) -> Bool {
        Trace.untraced {
            guard let real = try? FileSystem.realPath(path), let slash = real.lastIndex(of: "/") else { return false }
            let folder = String(real[..<slash])
            return [checkoutDirectory(), systemDirectory].compactMap { $0 }.contains { (try? FileSystem.realPath($0)) == folder }
        }
    }
}
