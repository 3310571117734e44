/// Parses a line of an `expect` block; errors name the problem and the form that was expected.
public enum ExpectationParser {
    public static let forms = [
        "mount PATH [fstype=T] [propagation=P] [ro|rw] [OPTION=VALUE...]",
        "file PATH [== \"TEXT\" | contains \"TEXT\"]",
        "dir PATH [has NAME...]",
        "absent PATH", "whiteout PATH", "opaque PATH", "same PATH PATH", "owner PATH == UID", "not EXPECTATION", "still EXPECTATION",
        "netns NAME",
        "link NAME [in NS] [kind=K] [up|down] [master=BRIDGE] [mtu=N] [peer=[NS:]NAME] [mode=M] [parent=[NS:]NAME] [id=VNI] [dstport=P] [local=ADDRESS] [dev=LINK]",
        "address ADDRESS/PREFIX on LINK [in NS]",
        "route DESTINATION|default [via GATEWAY] [dev LINK] [onlink] [in NS]",
        "fdb BRIDGE|DEVICE has MAC|[NS:]LINK on PORT|dst ADDRESS [in NS]",
        "neigh ADDRESS lladdr MAC|[NS:]LINK dev LINK [in NS]",
        "reach ADDRESS from NS|host",
        "connect ADDRESS:PORT from NS|host",
        "same-netns A B",
        "same-mac [NS:]LINK [NS:]LINK",
        "sysctl NAME == VALUE [in NS]",
        "nat masquerade from ADDRESS/PREFIX [out [!]INTERFACE] [in NS]",
        "nat dnat tcp|udp PORT to ADDRESS[:PORT] [in NS]",
        "chain TABLE CHAIN policy accept|drop [in NS]",
    ] + FlowExpectation.forms + [
        ResolveExpectation.form,
        CaptureExpectation.form,
    ] + EtcdExpectation.forms + [
        "cgroup GROUP [memory|pids|cpu == LIMIT | frozen | thawed | has PROC | FILE KEY OP N]",
    ] + ProcessExpectationParser.forms + ["mount PATH ... in PROC"] + SeccompExpectation.forms

    public static func parse(_ line: String) throws(ExpectationError) -> Expectation {
        var words = line.split(whereSeparator: \.isWhitespace).map(String.init)
        // The shell would read cgroup's comparisons (>=, <) as redirections.
        if words.drop(while: { ["not", "no", "still"].contains($0) }).first != "cgroup" {
            do { words = try ShellWords.parse(line).words } catch {
                throw ExpectationError(message: error.message)
            }
        }
        return try parse(words[...])
    }

    /// How deep `not`, `still` and `mount … in PROC` may nest: a line of thousands of them
    /// would otherwise overflow the stack, here and where the expectation is freed.
    static let maximumNesting = 8

    private static func parse(_ words: ArraySlice<String>, depth: Int = 0) throws(ExpectationError) -> Expectation {
        guard let keyword = words.first else { throw ExpectationError(message: "empty expectation") }
        guard depth <= maximumNesting else {
            throw ExpectationError(message: "expectations nest at most \(maximumNesting) deep (not, still, mount … in PROC)")
        }
        let rest = words.dropFirst()
        switch keyword {
        case "not", "no":
            return .not(try parse(rest, depth: depth + 1))
        case "still":
            return .still(try parse(rest, depth: depth + 1))
        case "mount" where rest.count >= 3 && rest[rest.endIndex - 2] == "in":
            return .within(process: rest.last!, try parse(words.dropLast(2), depth: depth + 1))
        case "mount":
            let path = try operand(rest, keyword)
            var fstype: String?, propagation: String?, readOnly: Bool?
            var options: [(key: String, value: String)] = []
            for word in rest.dropFirst() {
                if word == "ro" || word == "rw" { readOnly = word == "ro"; continue }
                let parts = word.split(separator: "=", maxSplits: 1).map(String.init)
                guard parts.count == 2 else {
                    throw ExpectationError(message: "'\(word)' is not KEY=VALUE", form: forms[0])
                }
                switch parts[0] {
                case "fstype": fstype = parts[1]
                case "propagation":
                    guard ["private", "shared", "slave", "unbindable"].contains(parts[1]) else {
                        throw ExpectationError(message: "propagation is private, shared, slave or unbindable, not '\(parts[1])'")
                    }
                    propagation = parts[1]
                default: options.append((parts[0], parts[1]))
                }
            }
            return .mount(path: path, fstype: fstype, propagation: propagation, readOnly: readOnly, options: options)
        case "file":
            let path = try operand(rest, keyword)
            let tail = Array(rest.dropFirst())
            switch tail.count {
            case 0: return .file(path: path, content: nil)
            case 2 where tail[0] == "==": return .file(path: path, content: .equals(tail[1]))
            case 2 where tail[0] == "contains": return .file(path: path, content: .contains(tail[1]))
            default: throw ExpectationError(message: "after the path, expected == \"TEXT\" or contains \"TEXT\"", form: forms[1])
            }
        case "dir":
            let path = try operand(rest, keyword)
            let tail = Array(rest.dropFirst())
            if tail.isEmpty { return .directory(path: path, entries: []) }
            guard tail[0] == "has", tail.count > 1 else {
                throw ExpectationError(message: "after the path, expected has NAME...", form: forms[2])
            }
            return .directory(path: path, entries: Array(tail.dropFirst()))
        case "absent", "whiteout", "opaque":
            let path = try operand(rest, keyword)
            guard rest.count == 1 else { throw ExpectationError(message: "\(keyword) takes one path") }
            return keyword == "absent" ? .absent(path: path) : keyword == "whiteout" ? .whiteout(path: path) : .opaque(path: path)
        case "same":
            guard rest.count == 2 else { throw ExpectationError(message: "same takes two paths", form: forms[6]) }
            return .sameFile(rest[rest.startIndex], rest[rest.startIndex + 1])
        case "netns", "link", "address", "route", "fdb", "neigh", "reach", "connect", "same-netns", "same-mac", "sysctl":
            return try NetworkExpectationParser.parse(keyword, Array(rest))
        case "nat", "chain":
            return try NetfilterExpectationParser.parse(keyword, Array(rest))
        case "seen-from", "conntrack":
            return try FlowExpectation.parse(keyword, Array(rest))
        case "resolve":
            return try ResolveExpectation.parse(Array(rest))
        case "captured":
            return try CaptureExpectation.parse(Array(rest))
        case "etcd":
            return try EtcdExpectation.parse(Array(rest))
        case _ where ProcessExpectationParser.keywords.contains(keyword):
            return .process(try ProcessExpectationParser.parse(keyword, Array(rest)))
        case "owner":
            let path = try operand(rest, keyword)
            guard rest.count == 3, rest[rest.startIndex + 1] == "==", let uid = UInt32(rest[rest.startIndex + 2]) else {
                throw ExpectationError(message: "owner takes a path, == and a uid", form: "owner PATH == UID")
            }
            return .owner(path: path, uid: uid)
        case "cgroup":
            return try CgroupExpectationParser.parse(Array(rest))
        case "seccomp", "denied", "allowed":
            return try SeccompExpectation.parse(keyword, Array(rest))
        default:
            throw ExpectationError(message: "unknown expectation '\(keyword)'",
                                   form: "one of: mount, file, dir, absent, whiteout, opaque, same, netns, link, address, route, fdb, neigh, reach, connect, same-netns, same-mac, sysctl, nat, chain, seen-from, conntrack, resolve, captured, etcd, ns, nspid, hostname, uid_map, gid_map, caps, no_new_privs, process, owner, cgroup, seccomp, denied, allowed, not, still")
        }
    }

    private static func operand(_ words: ArraySlice<String>, _ keyword: String) throws(ExpectationError) -> String {
        guard let path = words.first else {
            throw ExpectationError(message: "\(keyword) needs a path", form: forms.first { $0.hasPrefix(keyword) })
        }
        return path
    }
}

public struct ExpectationError: Error, Sendable, Equatable, CustomStringConvertible {
    public var message: String
    public var form: String?

    public init(message: String, form: String? = nil) {
        self.message = message
        self.form = form
    }

    public var description: String { form.map { "\(message) (expected: \($0))" } ?? message }
}
