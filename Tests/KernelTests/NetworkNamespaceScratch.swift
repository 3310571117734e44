import Foundation
import Glibc
import Kernel

/// Runs `body` with named network namespaces kept in a scratch directory instead of /run/netns;
/// afterwards deletes every namespace left there (which takes their links with them),
/// detaches the directory's own mount and removes it.
func withNamespaceDirectory(_ body: (NetworkNamespaces) throws -> Void) throws {
    var template = Array("/tmp/boxlab-test-netns.XXXXXX".utf8CString)
    guard mkdtemp(&template) != nil else { throw Errno.current }
    let scratch = String(decoding: template.dropLast().map { UInt8(bitPattern: $0) }, as: UTF8.self)
    // Not made yet, like /run/netns on a machine where `ip netns add` never ran.
    let namespaces = NetworkNamespaces(directory: scratch + "/netns")
    defer {
        for name in (try? namespaces.list()) ?? [] { try? namespaces.delete(name) }
        // add() bind-mounted the directory on itself, as `ip netns add` does with /run/netns.
        for _ in 0..<4 where (try? MountTable.read().mount(at: namespaces.directory)) != nil {
            try? Mounts.unmount(namespaces.directory, flags: .detach)
        }
        try? FileSystem.rmdir(namespaces.directory)
        try? FileSystem.rmdir(scratch)
    }
    try body(namespaces)
}

/// Runs `program` (ip, bridge, or another tool) with `arguments` and returns what it printed. With
/// `namespaces`, it runs in a mount namespace of its own in which their directory is
/// /run/netns, so `ip -n NAME` finds BoxLab's namespaces and the machine's /run is untouched.
func iproute2(_ arguments: [String], program: String = "ip", namespaces: NetworkNamespaces? = nil) throws -> String {
    var command = [program] + arguments
    if let namespaces {
        let script = "mount -t tmpfs tmpfs /run && mkdir /run/netns && mount --rbind \"$0\" /run/netns && exec \"$@\""
        command = ["unshare", "--mount", "sh", "-c", script, namespaces.directory] + command
    }
    var output = try ChildProcess.pipe()
    let pid = try ChildProcess.spawn(
        "/usr/bin/env", arguments: ["env"] + command, environment: ["PATH=/usr/sbin:/usr/bin:/sbin:/bin"], stdout: output.write
    )
    try? output.write.close()
    let text = String(decoding: try ChildProcess.readAll(output.read), as: UTF8.self)
    try? output.read.close()
    let termination = try ChildProcess.wait(pid)
    guard termination.succeeded else { throw ProgramFailed(description: "\(command.joined(separator: " ")): \(termination)") }
    return text
}

struct ProgramFailed: Error, CustomStringConvertible {
    let description: String
}

/// `ip -j …` parsed: one dictionary an object.
func iproute2JSON(_ arguments: [String], program: String = "ip", namespaces: NetworkNamespaces? = nil) throws -> [[String: Any]] {
    let text = try iproute2(["-j"] + arguments, program: program, namespaces: namespaces)
    return try JSONSerialization.jsonObject(with: Data(text.utf8)) as? [[String: Any]] ?? []
}
