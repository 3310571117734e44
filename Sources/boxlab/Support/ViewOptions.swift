import ArgumentParser
import Kernel
import Lab
import LiveView

/// `--view`: the session followed live by a page in the browser (LiveView).
struct ViewOptions: ParsableArguments {
    @Flag(help: "Follow the session in the browser: a page with each step's system calls and changes, and pictures of the network, mounts, cgroups and processes.")
    var view = false
    @Option(name: .customLong("view-listen"), help: "Where the view's page is served (implies --view): PORT or HOST:PORT; 0.0.0.0:PORT to view a VM from its host. Default 127.0.0.1:7070.")
    var listen: ViewAddress?
    @Flag(name: .customLong("view-large"), help: "Large type in the view, for a projector (implies --view).")
    var large = false

    /// Where to serve the page, when the view is asked for.
    var address: ViewAddress? { view || listen != nil || large ? listen ?? .standard : nil }

    /// The session's feed: the one inherited from the supervisor that serves the page, or,
    /// on the host (no supervisor), a server started here; nil without --view. In a sandbox
    /// with no supervisor of its own (a REPL started in `boxlab shell`), a page served here
    /// would be in the sandbox's network, which no browser on the machine reaches: refused.
    func feed(_ isolation: Isolation) throws -> (feed: ViewFeed, host: ViewHost?)? {
        guard let address else { return nil }
        if isolation != .host {
            guard let feed = ViewFeed.inherited(large: large) else {
                throw failure("--view needs a session started outside the sandbox, whose page the browser can reach: run it from a shell on the machine, not in `boxlab shell`", code: 1)
            }
            return (feed, nil)
        }
        do {
            let host = try ViewOptions.serve(address)
            return (host.feed(large: large), host)
        } catch {
            throw failure(error.description, code: 1)
        }
    }

    /// Starts serving the page and says where it is.
    static func serve(_ address: ViewAddress) throws(ViewError) -> ViewHost {
        let host = try ViewHost(listening: address)
        StandardStream.output.write("view: \(host.url) follows this session in the browser\n")
        return host
    }
}

extension ViewAddress: ExpressibleByArgument {
    public init?(argument: String) { self.init(argument) }
}
