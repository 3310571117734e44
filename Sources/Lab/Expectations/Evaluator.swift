import Kernel

/// Evaluates expectations against the kernel's state right now, without changing it and
/// without tracing (the learner's trace shows only what their commands did).
public struct Evaluator {
    let workspace: Workspace
    /// The session's variables: `$c1` in an expectation names the process it holds.
    let variables: Variables?
    /// The processes expectations may look at by pid; nil outside a session (any process).
    let processes: SessionProcesses?
    private let mountTable = MountTableOnce()
    /// The lab's cgroup root, found the first time a cgroup expectation needs it.
    let cgroupRoot: CgroupRootOnce
    /// Whether the mount table is another process's: its files are not the ones seen here.
    private(set) var mountsElsewhere = false

    public init(workspace: Workspace, variables: Variables? = nil, processes: SessionProcesses? = nil,
                cgroupRoot: @escaping @Sendable () -> Result<CgroupRoot, CgroupError> = { .failure(CgroupError("no lab is open, so there are no lab cgroups")) }) {
        self.workspace = workspace
        self.variables = variables
        self.processes = processes
        self.cgroupRoot = CgroupRootOnce(cgroupRoot)
    }

    /// An evaluator that sees `mounts` (another process's mount namespace).
    init(workspace: Workspace, variables: Variables?, processes: SessionProcesses?, mounts: MountTable) {
        self.init(workspace: workspace, variables: variables, processes: processes)
        mountTable.value = mounts
        mountsElsewhere = true
    }

    /// The mount table, read the first time an expectation needs it and then kept for the
    /// rest of the evaluation (half of a step's evaluation was reading and parsing it).
    var mounts: MountTable { mountTable.value }

    public func check(_ expectation: Expectation) -> CheckResult {
        Trace.untraced {
            do { for path in expectation.filePaths { _ = try confined(path) } } catch let refusal as PathRefusal {
                var result = CheckResult(passed: false, summary: expectation.subject)
                result.refusal = refusal.description
                return result
            } catch {
                // A walk the kernel could not make (its errno): `status` finds nothing there,
                // and the check says so as it does for a missing file.
            }
            return expectation.settles ? settled { evaluate(expectation) } : evaluate(expectation)
        }
    }

    func evaluate(_ expectation: Expectation) -> CheckResult {
        switch expectation {
        case .not, .still, .within: break
        // What `not` wraps fails for want of it, so `not reach … from $c1` holds before $c1 is set.
        default: if let unset = unsetVariable(in: expectation) { return unset }
        }
        return switch expectation {
        case .mount(let path, let fstype, let propagation, let readOnly, let options):
            checkMount(path, fstype: fstype, propagation: propagation, readOnly: readOnly, options: options)
        case .file(let path, let content): checkFile(path, content)
        case .directory(let path, let entries): checkDirectory(path, entries)
        case .absent(let path): checkAbsent(path)
        case .whiteout(let path): checkWhiteout(path)
        case .opaque(let path): checkOpaque(path)
        case .sameFile(let first, let second): checkSame(first, second)
        case .owner(let path, let uid): checkOwner(path, uid)
        case .not(.within(let process, let inner)): evaluate(.not(inner), within: process)
        case .not(let inner): negate(evaluate(inner), inner)
        case .still(let inner): evaluate(inner)
        case .netns(let name): checkNamespace(name)
        case .link(let link): checkLink(link)
        case .address(let prefix, let link, let namespace): checkAddress(prefix, link: link, namespace: namespace)
        case .route(let destination, let via, let device, let onlink, let namespace):
            checkRoute(destination, via: via, device: device, onlink: onlink, namespace: namespace)
        case .fdb(let fdb): checkForwarding(fdb)
        case .neighbour(let address, let mac, let device, let namespace): checkNeighbour(address, mac, device: device, namespace: namespace)
        case .reach(let address, let from): checkReach(address, from: from)
        case .connect(let address, let port, let from): checkConnect(address, port: port, from: from)
        case .sameNetworkNamespace(let first, let second): checkSameNamespace(first, second)
        case .sameMAC(let first, let second): checkSameMAC(first, second)
        case .sysctl(let name, let value, let namespace): checkSysctl(name, value, in: namespace)
        case .netfilter(let netfilter): checkNetfilter(netfilter)
        case .flow(let flow): checkFlow(flow)
        case .resolve(let resolve): checkResolve(resolve)
        case .captured(let captured): checkCaptured(captured)
        case .etcd(let etcd): checkEtcd(etcd)
        case .cgroup(let cgroup): checkCgroup(cgroup)
        case .process(let expectation): checkProcess(expectation)
        case .seccomp(let seccomp): checkSeccomp(seccomp)
        case .within(let process, let inner): evaluate(inner, within: process)
        }
    }

    /// `inner` as `process` sees it, said so in the summary.
    private func evaluate(_ inner: Expectation, within process: String) -> CheckResult {
        switch within(process) {
        case .success(let evaluator):
            var result = evaluator.evaluate(inner)
            result.summary += " in \(process)"
            return result
        case .failure(let failure):
            return CheckResult(passed: false, summary: "\(inner.subject) in \(process)", found: failure.found, cause: failure.cause)
        }
    }

    /// A path of an expectation, its `$NAME`s replaced by the session's variables
    /// (`layers/sha256/$layer2/diff`), relative to the workspace root.
    func absolute(_ path: String) -> String {
        guard path.contains("$"), let variables, let words = try? ShellWords.parse(path, variables: variables.lookup).words, words.count == 1 else {
            return workspace.resolveFromRoot(path)
        }
        return workspace.resolveFromRoot(words[0])
    }

    /// The absolute path of an expectation's `path` once the path rules let expectations read
    /// it; like the checks' lstat, a symlink at the end is not followed.
    func confined(_ path: String) throws -> String {
        let absolute = absolute(path)
        if workspace.confined { try workspace.policy.check(absolute, written: path, use: .read, following: false) }
        return absolute
    }

    /// What is at `path`, if the path rules let expectations look (every file read below starts here).
    func status(_ path: String) -> FileStatus? {
        guard let absolute = try? confined(path) else { return nil }
        return try? FileSystem.lstat(absolute)
    }

    /// A short description of what is at `path`, for "found:".
    func describe(_ path: String) -> String {
        guard let status = status(path) else { return "\(path) does not exist" }
        if status.isWhiteout { return "\(path) is a whiteout (character device 0,0)" }
        switch status.type {
        case .regular:
            let text = (try? FileSystem.readFile(absolute(path))).map { String(decoding: $0, as: UTF8.self) } ?? ""
            return "\(path) is a regular file reading \(quoted(text))"
        case .directory:
            return "\(path) is a directory" + (isOpaque(absolute(path)) ? " (opaque)" : "")
        default:
            return "\(path) is a \(typeName(status.type))" + (status.type == .characterDevice ? " \(status.rdev)" : "")
        }
    }

    private func negate(_ result: CheckResult, _ inner: Expectation) -> CheckResult {
        guard result.passed else { return CheckResult(passed: true, summary: negatedSummary(inner, result)) }
        return CheckResult(passed: false, summary: negatedSummary(inner, result), found: describeFound(inner, result), cause: propagationCause(inner) ?? inner.undoing)
    }

    /// "nothing is mounted at merged" reads better than "not: merged is a mount point".
    private func negatedSummary(_ inner: Expectation, _ result: CheckResult) -> String {
        switch inner {
        case .mount(let path, nil, nil, nil, let options) where options.isEmpty: "nothing is mounted at \(path)"
        case .netns(let name): "there is no network namespace \(name)"
        case .link(let link) where link == LinkExpectation(name: link.name, namespace: link.namespace):
            "there is no link \(link.name)\(where_(link.namespace))"
        case .address(let prefix, let link, let namespace): "\(link)\(where_(namespace)) does not have address \(prefix)"
        case .route(let destination, nil, nil, false, let namespace):
            "\(namespace == NetworkPlaces.host ? "the host" : namespace) has no route to \(destination)"
        case .reach(let address, let from): "\(address) does not answer ping from \(from)"
        case .connect(let address, let port, let from): "\(address):\(port) refuses TCP connections from \(from)"
        case .resolve(let resolve) where resolve.address == nil: "\(resolve.name) does not resolve from \(resolve.from)"
        case .sameNetworkNamespace(let first, let second): "\(first) and \(second) are in different network namespaces"
        case .sameMAC(let first, let second): "\(first) and \(second) have different MAC addresses"
        case .seccomp(.verdict(let call, let process, .denied)): "\(call.name) is not denied in \(process)"
        case .process(.noNewPrivileges(let process)): "\(process) runs without no_new_privs"
        case .owner(let path, let uid): "\(path) is not owned by uid \(uid)"
        default: "not: \(result.summary)"
        }
    }

    /// What holds instead: the file as it is, or what the expectation saw hold.
    private func describeFound(_ inner: Expectation, _ result: CheckResult) -> String {
        switch inner {
        case .mount(let path, _, _, _, _): mounts.mount(at: absolute(path)).map { "\(path) is \(article($0.fstype)) \($0.fstype) mount" } ?? "\(path) is a mount"
        case .file(let path, _), .directory(let path, _), .absent(let path), .whiteout(let path), .opaque(let path), .sameFile(let path, _):
            describe(path)
        default: result.summary
        }
    }
}

/// Text quoted for messages, with a trailing newline dropped and long text cut.
func quoted(_ text: String) -> String {
    var body = text.hasSuffix("\n") ? String(text.dropLast()) : text
    if body.count > 60 { body = String(body.prefix(57)) + "..." }
    return "\"" + body.replacing("\n", with: "\\n") + "\""
}

private extension Expectation {
    /// The paths of the files the expectation looks at; a mount's path is only a key in the
    /// mount table, which may name any place (`mount /proc fstype=proc in $c2`).
    var filePaths: [String] {
        switch self {
        case .file(let path, _), .directory(let path, _), .absent(let path), .whiteout(let path), .opaque(let path), .owner(let path, _): [path]
        case .sameFile(let first, let second): [first, second]
        case .not(let inner), .still(let inner), .within(_, let inner): inner.filePaths
        default: []
        }
    }
}

private final class MountTableOnce: @unchecked Sendable {
    lazy var value: MountTable = Trace.untraced { (try? MountTable.read()) ?? MountTable(entries: []) }
}
