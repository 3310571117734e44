import Kernel
import Synchronization

/// The process a lab is setting up between clone and exec (`clone`), if any. While it
/// waits, the commands that have a form for it (`Command.runsInChild`) run in it, as the
/// calls a runtime's child makes on itself; the one that execs ends the setup.
public final class HeldChild: Sendable {
    private let process = Mutex<HeldProcess?>(nil)
    private let standing = Mutex(ChildPlace())

    /// Where the waiting process stands, for the paths it is sent (see `ChildPlace`).
    var place: ChildPlace {
        get { standing.withLock { $0 } }
        set { standing.withLock { $0 = newValue } }
    }

    public init() {}

    /// The waiting process's pid, as this process sees it; nil once it is gone (killed while
    /// it waited), which lets it go.
    public var pid: Int32? {
        process.withLock { process in
            if process?.isWaiting == false {
                process?.close()
                process = nil
            }
            return process?.pid
        }
    }

    func hold(_ held: sending HeldProcess, place: ChildPlace) {
        process.withLock { process in
            process?.close()
            process = held
        }
        self.place = place
    }

    /// Runs `operations` in the waiting process (see `HeldProcess.run`); after an exec, or if
    /// it died, nothing is held any more.
    func run(_ operations: [SetupOperation]) throws {
        try process.withLock { process in
            guard var held = process else { return }
            defer { process = held.released ? nil : held }
            try held.run(operations)
        }
    }

    /// Lets go of the waiting process, which then exits (127) without running anything.
    public func release() {
        process.withLock { process in
            process?.close()
            process = nil
        }
    }
}
