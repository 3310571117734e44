import Kernel

/// `resolve NAME from PROC|NS` (`ResolveExpectation`), as getaddrinfo with `hosts: files dns`
/// resolves it: the /etc/hosts the process sees first, then the first nameserver of its
/// /etc/resolv.conf, asked from its network namespace. A network namespace with no process
/// has no files to read (BoxLab's own would say nothing about it): it asks 127.0.0.11, where
/// Docker's embedded resolver listens. Search domains are not tried.
extension Evaluator {
    func checkResolve(_ want: ResolveExpectation) -> CheckResult {
        let summary = "\(want.name) resolves" + (want.address.map { " to \($0)" } ?? "") + " from \(want.from)"
        func fail(_ found: String, _ cause: String? = nil) -> CheckResult { CheckResult(passed: false, summary: summary, found: found, cause: cause) }
        func judge(_ addresses: [IPAddress], source: String) -> CheckResult {
            let answer = "\(want.name) → \(addresses.map(\.description).joined(separator: ", ")) from \(source)"
            guard let address = want.address, !addresses.contains(where: { $0.description == address }) else {
                return CheckResult(passed: true, summary: summary + ": " + answer)
            }
            return fail(answer, "the wrong address: the records (or /etc/hosts) hold \(want.name)'s old address? it changes when a container restarts")
        }

        let isProcess = want.from.hasPrefix("$") || Int32(want.from) != nil
        let namespace: String
        var nameserver = (address: IPAddress("127.0.0.11")!, source: "127.0.0.11 (Docker's embedded resolver)")
        if isProcess {
            let pid: Int32
            switch resolveProcess(want.from) {
            case .success(let found): pid = found
            case .failure(let failure): return fail(failure.found, failure.cause)
            }
            if ProcessTable.hasEnded(pid) { return fail("\(want.from) (process \(pid)) has ended") }
            if let refusal = processes?.refusal(pid) { return fail(refusal) }
            let root = "/proc/\(pid)/root"
            var known: [String] = []
            if let hosts = try? FileSystem.readFile("/etc/hosts", inRoot: root) {
                let text = String(decoding: hosts, as: UTF8.self)
                let addresses = NameResolution.hosts(text, name: want.name)
                if !addresses.isEmpty { return judge(addresses, source: "/etc/hosts") }
                known = NameResolution.ipv4Names(text)
            }
            guard let conf = try? FileSystem.readFile("/etc/resolv.conf", inRoot: root),
                  let server = NameResolution.firstNameserver(String(decoding: conf, as: UTF8.self)) else {
                // The names it does hold show a --link to another container.
                let holds = known.isEmpty ? "" : " (it names \(known.joined(separator: ", ")))"
                return fail("\(want.name) is not in \(want.from)'s /etc/hosts\(holds), and its /etc/resolv.conf names no nameserver",
                            "on Docker's default bridge a container gets no embedded resolver: names resolve on user-defined networks (or through --link's /etc/hosts lines)")
            }
            nameserver = (server, "\(server) (/etc/resolv.conf)")
            namespace = "/proc/\(pid)/ns/net"
        } else {
            namespace = want.from
        }
        // No packet leaves the machine: only a resolver on loopback or in a namespace of the session is asked.
        guard nameserver.address.bytes.first == 127 || self.namespace(owning: nameserver.address) != nil else {
            return fail("\(want.from)'s nameserver is \(nameserver.address), outside the namespaces of the session: BoxLab does not ask it",
                        "a container on a user-defined network has nameserver 127.0.0.11 in /etc/resolv.conf")
        }
        guard let name = DNSName(want.name) else { return fail("'\(want.name)' is not a domain name") }
        let outcome: DNSClient.Outcome
        do throws(KernelError) {
            outcome = try places.perform(in: namespace) { () throws(KernelError) in try DNSClient.ask(name, type: .a, server: nameserver.address) }
        } catch {
            return fail(error.errno == .ENOENT ? "there is no network namespace \(want.from)" : "asking \(nameserver.address): \(error.errno)")
        }
        guard case .answer(let answer) = outcome else {
            return fail("no answer from \(nameserver.source) within 1 s",
                        "nothing listens on \(nameserver.address) port 53 in \(want.from)'s network namespace: the embedded resolver runs only for containers on user-defined networks")
        }
        let addresses = answer.answers.filter { $0.type == .a }.compactMap(\.address)
        guard answer.header.responseCode == .noError, !addresses.isEmpty else {
            let status = answer.header.responseCode == .noError ? "NOERROR with no A record" : "\(answer.header.responseCode)"
            return fail("\(nameserver.source) answered \(status) for \(want.name)",
                        answer.header.responseCode == .refused ? "the resolver knows no \(want.name): is it a container on a network \(want.from) shares?" : nil)
        }
        return judge(addresses, source: nameserver.source)
    }
}
