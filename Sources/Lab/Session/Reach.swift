import Kernel

/// How far a session's steps reach beyond what BoxLab made for it (`--host` is for trusted
/// labs).
///
/// In the sandbox, always `.session`: the sandbox is the boundary, and `--trust` does not
/// open it (`sh` blocks run inside it; machine-wide sysctls and other processes stay out of
/// reach). On the host (`--host`), `.machine` for one of BoxLab's own labs (`InstalledLabs`)
/// or a lab the learner trusts (`--trust`); any other lab keeps `.session`, and the programs
/// it would start, which run as root on the machine, are refused as well: its `sh` blocks and
/// what `unshare`, `nsenter`, `cgexec`, `exec` and `container run` start (a program can do
/// whatever an `sh` block can).
public enum Reach: Sendable, Equatable {
    /// The session's own processes (`SessionProcesses`) and `net.*` sysctls.
    case session
    /// Whatever root may do on this machine.
    case machine

    public init(lab: Lab, workbench: Workbench) {
        let trusted = workbench.trustsLabs || InstalledLabs.contains(file: lab.file)
        self = !Reach.isBoundary(workbench) && trusted ? .machine : .session
    }

    /// Whether `workbench` works inside the boundary: a sandbox whose root is not the host's.
    /// A sandbox of the trusted flavour (where the kernel cannot hold the boundary:
    /// `Sandbox.boundaryMissing`) is the host's root in new namespaces, and is treated as
    /// `--host` is.
    static func isBoundary(_ workbench: Workbench) -> Bool {
        workbench.isolation != .host && !UserNamespace.mapsHostRoot
    }

    /// Why `programs` (`sh blocks`, …) may not run where `workbench` works, or nil when they may.
    func programRefusal(_ programs: String, _ workbench: Workbench) -> String? {
        guard self == .session, !Reach.isBoundary(workbench) else { return nil }
        if workbench.isolation != .host {
            return "\(programs) run as root on this machine, whose sandbox is not a boundary (\(Sandbox.boundaryMissing() ?? "the trusted flavour")); this lab is not one of BoxLab's own: pass --trust if you trust it"
        }
        return "\(programs) run as root on this machine; this lab is not one of BoxLab's own: pass --trust if you trust it, or run it without --host in the sandbox"
    }
}
