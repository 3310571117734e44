import Kernel

/// Where BoxLab keeps what must outlive a crashed process but not the machine's uptime:
/// the ledger, the persisted sandbox and the workspaces. `BOXLAB_RUN_DIR` moves it (tests
/// give each run its own).
public struct RunDirectory: Sendable, Equatable {
    public let path: String

    public init(path: String) { self.path = path }

    public static var `default`: RunDirectory {
        RunDirectory(path: ProcessEnvironment.value("BOXLAB_RUN_DIR") ?? "/run/boxlab")
    }

    /// Set on every program BoxLab starts (and so inherited by theirs), to the run directory:
    /// `boxlab reset` kills the processes that carry it. A name of BoxLab's own, so that a
    /// learner's shell that exports BOXLAB_RUN_DIR is not mistaken for one of ours.
    public static let ownerVariable = "BOXLAB_OWNER"

    public var ledger: String { path + "/ledger.jsonl" }
    /// The session sandbox's namespace files (mnt, net, uts, ipc) are bind-mounted here.
    public var sandbox: String { path + "/sandbox" }
    /// Who owns the session sandbox (pid, lab), so a second REPL does not take it over.
    public var session: String { path + "/session.json" }
    /// Inside a sandbox a tmpfs is mounted here; in host mode it is a directory on the host.
    public var workspaces: String { path + "/workspace" }
    /// The session's variables (`Variables`).
    public var variables: String { path + "/variables" }
    /// `container run`'s default layer store and its containers' directories.
    public var layers: String { path + "/layers" }
    public var containers: String { path + "/containers" }
    /// The user-defined networks `network create` made, one file each (`UserNetwork`).
    public var networks: String { path + "/networks" }

    /// Everything BoxLab puts in a run directory: all that `reset` removes from it, so that
    /// a BOXLAB_RUN_DIR naming a directory of the learner's own loses nothing else.
    var contents: [String] { [workspaces, sandbox, containers, networks, layers, variables, session, ledger] }
}

/// Per-user state that is meant to last: progress and REPL history.
/// `BOXLAB_STATE_DIR` overrides, then `XDG_STATE_HOME/boxlab`, then `~/.local/state/boxlab`.
public struct StateDirectory: Sendable {
    public let path: String

    public init(path: String) { self.path = path }

    public static var `default`: StateDirectory {
        if let explicit = ProcessEnvironment.value("BOXLAB_STATE_DIR") { return StateDirectory(path: explicit) }
        if let xdg = ProcessEnvironment.value("XDG_STATE_HOME"), !xdg.isEmpty { return StateDirectory(path: xdg + "/boxlab") }
        return StateDirectory(path: (ProcessEnvironment.value("HOME") ?? "/root") + "/.local/state/boxlab")
    }

    public var progress: String { path + "/progress.json" }
    public var history: String { path + "/history" }
}
