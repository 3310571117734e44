import Glibc
import Kernel

extension Command {
    static let capture = Command(
        "capture", usage: "capture [-n NS] -i [NS:]LINK [-c COUNT] [-W SECONDS] [FILTER] [-- COMMAND...]",
        summary: "the frames crossing a link, each decoded header by header (VXLAN's inner frame too), while COMMAND runs",
        rawArguments: true
    ) { call in
        let capture = try CaptureRequest(call)
        let place = capture.namespace == NetworkPlaces.host ? capture.link : "\(capture.namespace):\(capture.link)"
        let socket: PacketSocket
        do {
            socket = try NetworkPlaces().perform(in: capture.namespace) { () throws(KernelError) in
                let socket = try PacketSocket(link: capture.link)
                try socket.setReceiveTimeout(capture.quiet)
                return socket
            }
        } catch let error as KernelError {
            switch error.errno {
            case .ENOENT where error.call == "open":
                throw call.failure("cannot open network namespace \"\(capture.namespace)\"", cause: "`ip netns list` shows them")
            case _ where error.call == "ioctl" && (error.errno == .ENODEV || error.errno == .EINVAL):
                throw call.failure("no link \(capture.link)\(capture.namespace == NetworkPlaces.host ? "" : " in \(capture.namespace)")",
                                   cause: "`\(Expectation.ip(capture.namespace)) link` lists the links")
            default: throw call.failure("opening a packet socket on \(place)", error)
            }
        }
        // The frames wait in the socket's queue while the command runs (it runs here, to its end).
        var failure: (any Error)?
        if !capture.command.isEmpty {
            do { try call.perform(capture.command, in: call.namespace) } catch { failure = error }
        }
        let frames: [CapturedFrame]
        do {
            frames = try socket.receiveFrames(count: capture.count) { capture.filter.matches(PacketLayer.decode($0.bytes)) }
        } catch {
            throw call.failure("reading from \(place)", error)
        }
        for (index, frame) in frames.enumerated() { call.write(CaptureListing.render(index + 1, frame, on: place)) }
        call.write("\(frames.count) frame\(frames.count == 1 ? "" : "s") captured on \(place)\n")
        if let failure { throw failure }
    }
}

/// `capture`'s words: its options and filter before `--`, the command to perform after it.
private struct CaptureRequest {
    var namespace: String
    var link: String
    var count: Int?
    var quiet: Double
    var filter: CaptureFilter
    var command: [String]

    static let options: [OptionSpec] = [.value("n", "netns"), .value("i", "interface"), .value("c", "count"), .value("W", "timeout")]

    init(_ call: Invocation) throws {
        let words = call.operands
        let separator = words.firstIndex(of: "--")
        let options = try ParsedOptions.parse(Array(words[..<(separator ?? words.endIndex)]), specs: CaptureRequest.options, command: "capture")
        command = separator.map { Array(words[($0 + 1)...]) } ?? []
        if separator != nil, command.isEmpty { throw call.failure("no command after --", cause: "usage: \(call.command.usage)") }
        guard let interface = options.value("interface"), !interface.isEmpty else {
            throw call.failure("which link? -i LINK", cause: "usage: \(call.command.usage)")
        }
        // `node3:eth0`, as the listing and the `captured` expectation name a link (a link's name has no colon).
        let parts = interface.split(separator: ":", maxSplits: 1, omittingEmptySubsequences: false).map(String.init)
        if parts.count == 2 {
            guard !parts[0].isEmpty, !parts[1].isEmpty, options.value("netns") == nil else {
                throw call.failure("'\(interface)' is not NS:LINK, or -n names the namespace too", cause: "-i node3:eth0, or -n node3 -i eth0")
            }
            namespace = parts[0]
            link = parts[1]
        } else {
            namespace = options.value("netns") ?? call.namespace
            link = interface
        }
        count = options.value("count") == nil ? nil : try call.number("count", default: 1, in: 1...1000, from: options)
        quiet = Double(try call.number("timeout", default: 1, in: 1...30, from: options))
        do { filter = try CaptureFilter.parse(options.operands) } catch {
            throw call.failure(error.message, cause: error.cause)
        }
    }
}
