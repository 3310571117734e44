#if canImport(Glibc)
import Glibc
#endif
import Kernel

// boxlab-resolver --records FILE [--listen 127.0.0.11] [--port 53] [--owner PID]
//
// The embedded resolver Docker gives every container on a user-defined network, BoxLab's
// version: it listens on UDP in the network namespace it was started in (the launcher joined
// the container's first, so 127.0.0.11 is the container's own loopback) and answers A queries
// for the names in FILE whose holder process (PID:START on the line) still runs. Everything
// else is REFUSED: it never forwards, so no query leaves
// the machine. It exits when the process --owner names is gone (looked at once a second) or
// on SIGTERM, whose default action ends it: it holds nothing that outlives it.
// It uses the Kernel target only, so that its resident memory stays a few MiB.

struct Options {
    var records: String?
    var listen = IPAddress("127.0.0.11")!
    var port: UInt16 = 53
    var owner: Int32?

    static let usage = "usage: boxlab-resolver --records FILE [--listen 127.0.0.11] [--port 53] [--owner PID]"

    init(_ arguments: [String]) throws(UsageError) {
        var rest = arguments[...]
        while let option = rest.popFirst() {
            guard let value = rest.popFirst() else { throw UsageError("\(option) needs a value") }
            switch option {
            case "--records": records = value
            case "--listen":
                guard let address = IPAddress(value), address.family == .inet else { throw UsageError("--listen \(value): not an IPv4 address") }
                listen = address
            case "--port":
                guard let port = UInt16(value), port > 0 else { throw UsageError("--port \(value): not a port from 1 to 65535") }
                self.port = port
            case "--owner":
                guard let pid = Int32(value), pid > 0 else { throw UsageError("--owner \(value): not a process id") }
                owner = pid
            default: throw UsageError("unknown option \(option)")
            }
        }
        guard records != nil else { throw UsageError("--records FILE is required") }
    }
}

struct UsageError: Error {
    let message: String
    init(_ message: String) { self.message = message }
}

/// Whether `pid` still exists: kill(pid, 0) fails with ESRCH once it has gone (and been reaped).
func alive(_ pid: Int32) -> Bool {
    do {
        try Signals.kill(pid, 0)
        return true
    } catch {
        return error.errno != Errno(ESRCH)
    }
}

func serve(_ options: Options) throws(KernelError) {
    let socket = try UDPSocket(binding: options.listen, port: options.port)
    try socket.setReceiveTimeout(1)
    var file = RecordsFile(path: options.records!)
    // The owner is looked at when a second has passed, not at every query (a kill(2) each).
    var looked = ContinuousClock.now
    while true {
        if let owner = options.owner, ContinuousClock.now - looked >= .seconds(1) {
            if !alive(owner) { return }
            looked = ContinuousClock.now
        }
        guard let (query, sender) = try socket.receive() else { continue }
        file.refresh()
        guard let response = DNSResponder.respond(to: query, from: file.records, isLive: { ProcessTable.isRunning($0.pid, startedAt: $0.startTime) }) else { continue }
        // A client that has gone (ICMP port unreachable reported on this socket) is no reason to stop.
        try? socket.send(response, to: sender)
    }
}

do {
    try serve(try Options(Array(CommandLine.arguments.dropFirst())))
} catch let error as UsageError {
    StandardStream.error.write("boxlab-resolver: \(error.message)\n\(Options.usage)\n")
    exit(2)
} catch {
    StandardStream.error.write("boxlab-resolver: \(error)\n")
    exit(1)
}
