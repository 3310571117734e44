import FoundationEssentials
import Glibc
import Kernel

extension Evaluator {
    /// The pid a PROC word names, or why it names none.
    func resolveProcess(_ word: String) -> Result<Int32, CheckFailure> {
        if word == NetworkPlaces.host { return .success(getpid()) }
        if let pid = Int32(word) { return .success(pid) }
        guard word.hasPrefix("$") else { return .failure(CheckFailure(found: "'\(word)' is not a process: write $NAME, a pid, or host")) }
        guard let value = variables?.value(String(word.dropFirst())), let pid = Int32(value) else { return .failure(Self.notSet(word)) }
        return .success(pid)
    }

    /// The first `$NAME` the expectation names (a process, or a process's network namespace)
    /// that holds nothing: the check fails saying so, before any call looks for it.
    func unsetVariable(in expectation: Expectation) -> CheckResult? {
        let subject = expectation.subject
        var rest = subject[...]
        while let dollar = rest.firstIndex(of: "$") {
            let name = rest[rest.index(after: dollar)...].prefix { $0 == "_" || $0.isASCII && ($0.isLetter || $0.isNumber) }
            rest = rest[rest.index(after: dollar)...]
            guard Variables.isName(name), variables?.value(String(name)) == nil else { continue }
            let failure = Self.notSet("$" + name)
            return CheckResult(passed: false, summary: subject, found: failure.found, cause: failure.cause)
        }
        return nil
    }

    private static func notSet(_ word: String) -> CheckFailure {
        CheckFailure(found: "\(word) is not set", cause: "start the program with `… &`, then name it: \(word.dropFirst())=$!")
    }

    /// A running process's pid (a zombie's namespaces are gone), one the session may look at.
    func running(_ word: String) -> Result<Int32, CheckFailure> {
        resolveProcess(word).flatMap { pid in
            ProcessTable.hasEnded(pid) ? .failure(CheckFailure(found: "\(word) (process \(pid)) has ended", cause: "start it again; `kill` or a failed step may have ended it")) : owned(word, pid)
        }
    }

    /// `pid` unless it is a process the session may not name (`host` is BoxLab itself).
    private func owned(_ word: String, _ pid: Int32) -> Result<Int32, CheckFailure> {
        guard word != NetworkPlaces.host, let refusal = processes?.refusal(pid) else { return .success(pid) }
        return .failure(CheckFailure(found: refusal))
    }

    func checkProcess(_ expectation: ProcessExpectation) -> CheckResult {
        switch expectation {
        case .namespace(let kind, let first, let second, let same):
            let summary = same ? "\(first) shares the \(kind) namespace of \(second)" : "\(first) and \(second) are in different \(kind) namespaces"
            return evaluate(summary) { () throws(CheckFailure) in
                let one = try running(first).get(), two = try running(second).get()
                let a = ProcessTable.namespace(kind.rawValue, of: one), b = ProcessTable.namespace(kind.rawValue, of: two)
                guard (a == b) == same else {
                    let found = same ? "\(first) is in \(kind):[\(a ?? 0)], \(second) in \(kind):[\(b ?? 0)]" : "both are in \(kind):[\(a ?? 0)]"
                    let joining = second == NetworkPlaces.host ? "a program started without unshare --\(kind.optionName) shares the \(kind) namespace of the shell that starts it"
                        : "nsenter -t \(second) --\(kind.optionName) … starts a program in that of \(second); unshare --\(kind.optionName) makes a new one"
                    throw CheckFailure(found: found, cause: same ? "\(first) has a \(kind) namespace of its own: \(joining)" : "a program gets a new \(kind) namespace from unshare --\(kind.optionName) (clone with \(kind.cloneName))")
                }
                return same ? "\(kind):[\(a ?? 0)]" : nil
            }
        case .namespacePid(let process, let want):
            return evaluate("\(process) is PID \(want) in its own PID namespace") { () throws(CheckFailure) in
                let pid = try running(process).get()
                let chain = ProcessTable.namespacePids(of: pid) ?? []
                guard chain.last == want else {
                    throw CheckFailure(found: chain.count > 1 ? "it is \(chain.last ?? 0) there (NSpid: \(chain.map(String.init).joined(separator: " ")))"
                                                              : "it is \(pid), in the PID namespace of host",
                                       cause: chain.count > 1 ? nil : "unshare --pid --fork starts the program as PID 1 of a new PID namespace")
                }
                return nil
            }
        case .hostname(let process, let name, let equal):
            return evaluate(equal ? "\(process)'s hostname is \(name)" : "\(process)'s hostname is not \(name)") { () throws(CheckFailure) in
                let pid = try running(process).get()
                let actual = (try? Hostname.of(pid)) ?? "?"
                guard (actual == name) == equal else {
                    throw CheckFailure(found: "it is \(actual)", cause: equal ? "set it inside: nsenter -t \(process) -u hostname \(name)" : "the name was set in the namespace \(process) shares: give it its own with unshare -u")
                }
                return nil
            }
        case .idMap(let process, let file, let map):
            let what = file == .uid ? "ids" : "group ids"
            return evaluate("\(process) maps \(what) \(map) (inside, outside, count)") { () throws(CheckFailure) in
                let pid = try running(process).get()
                let actual = ProcessTable.idMap(file.rawValue, of: pid) ?? ""
                guard actual == map else {
                    let writer = file == .uid ? "uidmap" : "setgroups \(process) deny, then gidmap"
                    // A rootless process writes its own gid_map, which the kernel refuses while setgroups is allowed.
                    let refusedGroups = file == .gid && actual.isEmpty && ProcessTable.setgroups(of: pid) == "allow"
                        && ProcessTable.effectiveID("Uid", of: pid) != 0
                    throw CheckFailure(found: "its \(file.rawValue) is \(actual.isEmpty ? "empty: nothing is mapped" : actual)",
                                       cause: actual == "0 0 4294967295" ? "that is the identity map of the initial user namespace: start it with unshare -U -r"
                                           : refusedGroups ? "its setgroups still says allow, and a gid_map written without CAP_SETGID outside is refused until it says deny: setgroups \(process) deny, then gidmap \(process) INSIDE OUTSIDE COUNT"
                                           : actual.isEmpty ? "a new user namespace maps nobody until its \(file.rawValue) is written: unshare -U -r (--map-root-user) writes it, or \(writer) \(process) INSIDE OUTSIDE COUNT" : nil)
                }
                return nil
            }
        case .capabilities(let process, let kind, let want):
            let shown: String = switch want {
            case .all: "every capability"
            case .exactly(let set): set.mask == 0 ? "empty" : set.decoded(all: [])
            }
            return evaluate("\(process)'s \(kind.name) set is \(shown)") { () throws(CheckFailure) in
                let pid = try running(process).get()
                guard let capabilities = ProcessCapabilities.of(pid) else { throw CheckFailure(found: "cannot read /proc/\(pid)/status") }
                let all = Capability.held()
                let expected: CapabilitySet = switch want {
                case .all: CapabilitySet(all)
                case .exactly(let set): set
                }
                let actual = capabilities[kind]
                // All is every capability a process here can have; one in a user namespace of its own may hold more.
                if want == .all ? actual.holdsAll(of: all) : actual == expected { return nil }
                let extra = CapabilitySet(mask: actual.mask & ~expected.mask), missing = CapabilitySet(mask: expected.mask & ~actual.mask)
                let difference = [extra.mask == 0 ? nil : "more: " + extra.decoded(all: []), missing.mask == 0 ? nil : "missing: " + missing.decoded(all: [])]
                throw CheckFailure(found: "it is \(actual.decoded(all: all)) (\(kind.rawValue) \(actual.hex); \(difference.compactMap { $0 }.joined(separator: "; ")))",
                                   cause: capabilityCause(kind, extra: extra, missing: missing, capabilities, pid: pid))
            }
        case .noNewPrivileges(let process):
            return evaluate("\(process) runs with no_new_privs") { () throws(CheckFailure) in
                let pid = try running(process).get()
                guard let capabilities = ProcessCapabilities.of(pid) else { throw CheckFailure(found: "cannot read /proc/\(pid)/status") }
                guard capabilities.noNewPrivileges else {
                    throw CheckFailure(found: "NoNewPrivs is 0",
                                       cause: "prctl(PR_SET_NO_NEW_PRIVS, 1) must come before exec, in the process or a parent (it is inherited and never cleared): start it with setpriv, unshare or exec --no-new-privs")
                }
                return nil
            }
        case .state(let process, let want):
            return evaluate(want ? "\(process) is running" : "\(process) has ended") { () throws(CheckFailure) in
                let pid = try resolveProcess(process).flatMap { owned(process, $0) }.get()
                let ended = ProcessTable.hasEnded(pid)
                guard ended != want else {
                    throw CheckFailure(found: ended ? "it has ended" : "it is still running (\(ProcessTable.statusField("State", of: pid) ?? "?"))",
                                       cause: ended ? nil : ProcessTable.namespacePids(of: pid)?.last == 1 ? "PID 1 of a namespace ignores signals it has no handler for: kill -9"
                                           : "wait for it to finish, or kill \(process)")
                }
                return nil
            }
        }
    }

    /// Why a capability set differs from the one expected, from what the kernel does at exec
    /// (capabilities(7), "Transformation of capabilities during execve()").
    private func capabilityCause(_ kind: ProcessCapabilities.Kind, extra: CapabilitySet, missing: CapabilitySet,
                                 _ capabilities: ProcessCapabilities, pid: Int32) -> String {
        let uid = ProcessTable.effectiveID("Uid", of: pid).map(String.init) ?? "?"
        let names = (extra.mask != 0 ? extra : missing).capabilities.map { $0.name.lowercased().replacing("cap_", with: "") }.joined(separator: ",")
        switch (kind, extra.mask != 0) {
        case (.bounding, true):
            return "nothing dropped them: the bounding set shrinks by PR_CAPBSET_DROP in the process itself, before exec (caps keep …, or --bounding-set -all,+…); once it has exec'd, nobody can take them from the program"
        case (.bounding, false):
            return "a capability dropped from the bounding set never comes back, not even for root"
        case (.effective, true), (.permitted, true):
            return uid == "0" ? "a program of uid 0 gets its whole bounding set at exec: drop the rest before exec (caps keep …, or --bounding-set -all,+…), or run it as another uid (--reuid)"
                : "it keeps what its ambient set holds (CapAmb \(capabilities[.ambient].hex)): --ambient-caps -\(names.split(separator: ",").first ?? "")"
        case (.effective, false), (.permitted, false):
            if capabilities[.bounding].mask & missing.mask != missing.mask { return "the bounding set lacks them (CapBnd \(capabilities[.bounding].hex)): no exec can give them back" }
            return uid == "0" ? "its parent dropped them before exec (capset)"
                : "it runs as uid \(uid), and a program of another uid than 0 gets at exec only its ambient capabilities: --inh-caps +\(names) --ambient-caps +\(names) before exec"
        case (.ambient, false):
            return "a capability is ambient only while it is permitted and inheritable: --inh-caps +\(names) --ambient-caps +\(names)"
        case (.ambient, true), (.inheritable, true):
            return "they were raised before exec; \(kind == .ambient ? "--ambient-caps" : "--inh-caps") -all clears the set"
        case (.inheritable, false):
            return "the inheritable set is kept across exec but not filled by it: --inh-caps +\(names) before exec"
        }
    }

    /// A check written as a body that returns extra detail for the summary or throws what was found.
    private func evaluate(_ summary: String, _ body: () throws(CheckFailure) -> String?) -> CheckResult {
        do {
            let detail = try body()
            return CheckResult(passed: true, summary: summary + (detail.map { " (\($0))" } ?? ""))
        } catch {
            return CheckResult(passed: false, summary: summary, found: error.found, cause: error.cause)
        }
    }

    /// The evaluator for expectations about what `process` sees: its mount table.
    func within(_ process: String) -> Result<Evaluator, CheckFailure> {
        running(process).flatMap { pid in
            guard let table = try? MountTable.read(pid: pid) else {
                return .failure(CheckFailure(found: "cannot read the mount table of \(process)"))
            }
            return .success(Evaluator(workspace: workspace, variables: variables, processes: processes, mounts: table))
        }
    }
}
