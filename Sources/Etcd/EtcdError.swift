import Kernel

/// Why a request to etcd failed, in one line a learner can act on.
public enum EtcdError: Error, Sendable, CustomStringConvertible {
    /// A URL that is not `http://IPV4[:PORT]`.
    case badEndpoint(String)
    /// No connection (nothing listening, no route): the first endpoint's failure.
    case unreachable(EtcdEndpoint, KernelError)
    /// The connection broke in the middle of the exchange.
    case connection(EtcdEndpoint, KernelError)
    /// Nothing came for `seconds`, BoxLab's own limit for an answer: no call failed.
    case silent(EtcdEndpoint, seconds: Double)
    /// etcd closed the watch stream, which a watch keeps open.
    case watchEnded(EtcdEndpoint)
    /// What came back was not an HTTP response BoxLab can read.
    case http(EtcdEndpoint, HTTPError)
    /// etcd answered with an error (the gateway's `{"error", "code"}`: a gRPC status).
    case server(status: Int, code: Int, message: String)
    /// The response's JSON is not what the gateway sends for this request.
    case malformed(path: String, detail: String)

    public var description: String {
        switch self {
        case .badEndpoint(let url): "\(url): not an etcd endpoint BoxLab can use (give http://IPV4:PORT, e.g. http://192.168.32.128:2379)"
        case .unreachable(let endpoint, let error): "cannot connect to etcd at \(endpoint): \(error.errno) (is etcd running and listening there?)"
        case .connection(let endpoint, let error): "etcd at \(endpoint): \(error)"
        case .silent(let endpoint, let seconds): "etcd at \(endpoint) sent no answer within \(seconds == seconds.rounded() ? String(Int(seconds)) : String(seconds)) seconds"
        case .watchEnded(let endpoint): "etcd at \(endpoint) ended the watch stream"
        case .http(let endpoint, let error): "etcd at \(endpoint) sent something that is not HTTP/1.1: \(error)"
        case .server(let status, let code, let message): "etcd refused the request: \(message) (HTTP \(status), gRPC code \(code))"
        case .malformed(let path, let detail): "etcd's answer to \(path) could not be read: \(detail)"
        }
    }
}
