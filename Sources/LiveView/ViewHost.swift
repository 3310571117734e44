import Dispatch
import FoundationEssentials
import Glibc
import Hummingbird
import HummingbirdWebSocket
import Kernel
import Logging
import Synchronization

/// Serves the live view's page and passes it what the session sends (`ViewFeed`). It runs
/// where the browser can reach it: in the supervisor, outside the sandbox's network
/// namespace, with the worker's end of the stream handed down; with --host, in the same
/// process. It serves its own page and nothing else, and stops with the session.
public final class ViewHost: Sendable {
    /// The page's address, to print.
    public let url: String
    private let hub: ViewHub
    private let ours: UnixStream
    private let theirs: UnixStream
    private let server: Task<Void, Never>
    private let finished = DispatchSemaphore(value: 0)
    /// Signalled when the session's end of the stream has closed and all it sent is published.
    private let relayed = DispatchSemaphore(value: 0)

    /// Listens on `address` and starts serving; throws a one-line error when it cannot.
    public init(listening address: ViewAddress) throws(ViewError) {
        let (ours, theirs): (UnixStream, UnixStream)
        do { (ours, theirs) = try UnixStream.pair() } catch { throw ViewError("cannot make the view's stream: \(error)") }
        self.ours = ours
        self.theirs = theirs
        let hub = ViewHub { count in try? ours.send(Array("viewers \(count)\n".utf8)) }
        self.hub = hub
        let started = Mutex<Result<Int, any Error>?>(nil)
        let ready = DispatchSemaphore(value: 0)
        let app = ViewHost.application(address: address, hub: hub) { port in
            started.withLock { $0 = .success(port) }
            ready.signal()
        }
        let finished = finished
        server = Task.detached {
            do { try await app.runService(gracefulShutdownSignals: []) } catch {
                started.withLock { if $0 == nil { $0 = .failure(error) } }
                ready.signal()
            }
            finished.signal()
        }
        ready.wait()
        switch started.withLock({ $0 }) {
        case .success(let port)?:
            url = "http://\(address.host == "0.0.0.0" ? "ADDRESS-OF-THIS-MACHINE" : address.host):\(port)/"
        default:
            let cause = started.withLock { if case .failure(let error)? = $0 { "\(error)" } else { "" } }
            throw ViewError("cannot listen on \(address) for the view (\(cause))", fix: "choose another address with --view-listen HOST:PORT")
        }
        DispatchQueue(label: "boxlab.view.host").async { [hub, ours, relayed] in
            ViewHost.relay(from: ours, to: hub)
            relayed.signal()
        }
    }

    /// Hands the session's end of the stream to the worker this process starts next.
    public func handDown() throws(ViewError) {
        do { try theirs.descriptor.handDown(as: ViewFeed.variable) } catch { throw ViewError("cannot hand the view's stream to the session: \(error)") }
    }

    /// The feed for a session in this very process (--host).
    public func feed(large: Bool) -> ViewFeed {
        ViewFeed(stream: theirs, large: large)
    }

    /// Each acknowledged update's latency in milliseconds, from its step's end to the page drawn.
    public var latencies: [Double] { hub.latencies.map(\.milliseconds) }

    /// Ends the view with the session: the pages are told, the server stops.
    public func stop() {
        // What the session sent last may still be in the stream (it ended a moment ago); in
        // this very process (--host), its end is ours and is closed here.
        theirs.shutDown()
        _ = relayed.wait(timeout: .now() + 2)
        hub.end()
        // The pages' last messages (the end among them) are written before the server goes.
        for _ in 0..<100 where hub.openPages > 0 { usleep(20_000) }
        server.cancel()
        _ = finished.wait(timeout: .now() + 3)
    }

    /// Reads the session's messages, one JSON object per line, until its end closes.
    private static func relay(from stream: UnixStream, to hub: ViewHub) {
        var pending: [UInt8] = []
        while let bytes = try? stream.receive(), !bytes.isEmpty {
            pending += bytes
            while let newline = pending.firstIndex(of: 10) {
                hub.publish(String(decoding: pending[..<newline], as: UTF8.self))
                pending.removeSubrange(...newline)
            }
        }
    }

    private static func application(address: ViewAddress, hub: ViewHub, running: @escaping @Sendable (Int) -> Void) -> some ApplicationProtocol {
        let router = Router()
        router.middlewares.add(HostCheck(address: address))
        for asset in PageAsset.all {
            router.get(RouterPath(stringLiteral: asset.path)) { _, _ in
                Response(status: .ok, headers: [.contentType: asset.type, .cacheControl: "no-store", .contentSecurityPolicy: PageAsset.policy],
                         body: ResponseBody(byteBuffer: ByteBuffer(string: asset.text)))
            }
        }
        return Application(
            router: router,
            server: .http1WebSocketUpgrade { request, _, _ in
                guard request.path == "/live", namesThisMachine(request.authority, address) else { return .dontUpgrade }
                return .upgrade([:]) { inbound, outbound, _ in
                    let (id, messages) = hub.open()
                    defer { hub.close(id) }
                    try await withThrowingTaskGroup(of: Void.self) { group in
                        group.addTask {
                            for await message in messages { try await outbound.write(.text(message)) }
                        }
                        group.addTask {
                            for try await message in inbound.messages(maxSize: 4096) {
                                if case .text(let text) = message { hub.acknowledged(text) }
                            }
                        }
                        try await group.next()
                        group.cancelAll()
                    }
                }
            },
            configuration: ApplicationConfiguration(address: .hostname(address.host, port: address.port), serverName: nil),
            onServerRunning: { channel in running(channel.localAddress?.port ?? address.port) },
            logger: Logger(label: "boxlab-view") { _ in SwiftLogNoOpLogHandler() }
        )
    }
}

/// Refuses a request that names the server otherwise than this machine does, when it
/// listens on loopback only: a page on another site whose name was made to resolve to
/// 127.0.0.1 (DNS rebinding) is not shown the session.
struct HostCheck<Context: RequestContext>: RouterMiddleware {
    let address: ViewAddress

    init(address: ViewAddress) {
        self.address = address
    }

    func handle(_ request: Request, context: Context, next: (Request, Context) async throws -> Response) async throws -> Response {
        guard namesThisMachine(request.head.authority, address) else { return Response(status: .forbidden) }
        return try await next(request, context)
    }
}

/// Whether a request to a view on `address` names it as this machine does (any name will do
/// when it listens beyond loopback).
func namesThisMachine(_ authority: String?, _ address: ViewAddress) -> Bool {
    guard address.loopbackOnly else { return true }
    let host = authority.map { $0.split(separator: ":").first.map(String.init) ?? "" } ?? ""
    return host == "localhost" || host.hasPrefix("127.")
}

/// One line saying what the view could not do, and how to fix it.
public struct ViewError: Error, CustomStringConvertible {
    public var description: String
    init(_ message: String, fix: String? = nil) {
        description = fix.map { "\(message): \($0)" } ?? message
    }
}
