import Kernel
import Synchronization

/// The rtnetlink clients a run of commands talks through, one per namespace, opened on first
/// use and kept until `release()`.
///
/// Opening a client in a named namespace takes a thread, a setns and a socket; a step that
/// wires fifty containers would do that hundreds of times. But a socket holds its namespace
/// alive, and `ip netns del` (BoxLab's or the learner's, in another shell) must free it: so
/// the session keeps clients only while BoxLab's own commands run back to back, and drops
/// them before an sh block, after a step and after each command typed in the REPL; `ip
/// netns del` drops the namespace's client before it unmounts.
public final class NetworkClients: Sendable {
    private let clients = Mutex<[String: RouteNetlink]>([:])
    let places: NetworkPlaces

    public init(places: NetworkPlaces = NetworkPlaces()) {
        self.places = places
    }

    func netlink(_ namespace: String) throws(KernelError) -> RouteNetlink {
        try clients.withLock { (clients) throws(KernelError) in
            if let client = clients[namespace] { return client }
            let client = try places.netlink(namespace)
            clients[namespace] = client
            return client
        }
    }

    func forget(_ namespace: String) {
        clients.withLock { $0[namespace] = nil }
    }

    public func release() {
        clients.withLock { $0.removeAll() }
    }
}
