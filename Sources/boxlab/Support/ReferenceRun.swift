import CBoxLab
import FoundationEssentials
import Glibc
import Kernel
import Lab

/// The lab's reference run, made on the host before a session is entered when none is cached
/// for the lab as this machine takes it: `boxlab standing LAB --if-missing` in a throwaway
/// sandbox with a run directory of its own, so it touches neither the learner's session nor
/// its objects. A session cannot make one from inside its sandbox: without it, earlier steps
/// are not re-checked (a correct learner is never failed), and the learner is told why.
enum ReferenceRun {
    /// `name` as the learner gave it (id, number or path): the child loads it the same way.
    static func ensure(_ name: String, trust: Bool) {
        guard boxlab_sandbox_entered() == 0, ProcessEnvironment.value(Launcher.insideVariable) == nil else { return }
        let run = RunDirectory.default.path + "-reference-\(getpid())"
        var environment = ProcessInfo.processInfo.environment
        environment["BOXLAB_RUN_DIR"] = run
        let arguments = ["boxlab", "standing", name, "--if-missing"] + (trust ? ["--trust"] : [])
        do {
            let pid = try ChildProcess.spawn("/proc/self/exe", arguments: arguments, environment: environment.map { "\($0.key)=\($0.value)" })
            _ = try ChildProcess.wait(pid)
        } catch {
            printError("cannot start the lab's reference run: \(error)")
        }
        // Its supervisor removed what the run made; the directory itself may be left empty.
        rmdir(run)
    }

    /// Says once why earlier steps are not re-checked, when no reference run is known.
    static func noteIfMissing(_ session: Session) {
        guard session.standing == nil, session.lab.steps.count > 1 else { return }
        session.console.line("note: earlier steps are not re-checked: no reference run of \(session.lab.id) is known here (`boxlab standing \(session.lab.id)` makes one)", .dim)
    }
}
