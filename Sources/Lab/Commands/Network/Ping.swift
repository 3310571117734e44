import FoundationEssentials
import Glibc
import Kernel

extension Command {
    static let ping = Command(
        "ping", usage: "ping [-c COUNT] [-W SECONDS] ADDRESS",
        summary: "ICMP echo, sent by BoxLab from the current network namespace (ip netns exec NS ping …)",
        options: [.value("c", "count"), .value("W", "timeout"), .value("i", "interval")]
    ) { call in
        try call.requireOperands(1...1)
        let target = call.operands[0]
        guard let address = IPAddress(target), address.family == .inet else {
            throw call.failure("\(target): not an IPv4 address", cause: "BoxLab's ping takes an address, not a name")
        }
        let count = try call.number("count", default: 3, in: 1...100)
        // A first echo may wait for ARP, whose first request can be lost on a link that has
        // just come up (retried after a second): wait for each reply as long as ping(8) would.
        let timeout = Double(try call.number("timeout", default: 3, in: 1...10))
        call.write("PING \(address): \(count) packets\n")
        let replies: [Kernel.Ping.Reply]
        do {
            replies = try NetworkPlaces().perform(in: call.namespace) { () throws(KernelError) in
                try Kernel.Ping.echo(address, count: count, timeout: timeout, interval: 0.05)
            }
        } catch {
            throw call.failure("sending to \(address)", error, cause: (error as? KernelError)?.errno == Errno(ENETUNREACH)
                ? "no route to \(address) in \(call.namespace): add an address in its subnet or a default route" : nil)
        }
        for reply in replies {
            call.write("64 bytes from \(reply.from): icmp_seq=\(reply.sequence) ttl=\(reply.ttl) time=\(reply.milliseconds.formatted(places: 3)) ms\n")
        }
        call.write("\(count) packets transmitted, \(replies.count) received\n")
        guard !replies.isEmpty else {
            throw call.failure("no reply from \(address)", cause: "is the link up at both ends, and is there a route back?")
        }
    }
}

extension Invocation {
    /// An option that takes a whole number within `range`, from this command's options or
    /// from `parsed` (a command that parses part of its words itself).
    func number(_ option: String, default value: Int, in range: ClosedRange<Int>, from parsed: ParsedOptions? = nil) throws -> Int {
        guard let text = (parsed ?? options).value(option) else { return value }
        guard let number = Int(text), range.contains(number) else {
            throw failure("bad value for --\(option): '\(text)'", cause: "a whole number from \(range.lowerBound) to \(range.upperBound)")
        }
        return number
    }
}
