#if canImport(Glibc)
import Glibc
#endif
import FoundationEssentials
import Kernel

/// A client of etcd's v3 API through its HTTP/JSON gateway (the `/v3/…` paths every etcd
/// since 3.4 serves beside gRPC), synchronous, one request per connection. The connection is
/// made in the network namespace of the calling thread: run it inside the namespace's
/// `perform` to speak to an etcd in another one.
public struct EtcdClient: Sendable {
    public let endpoints: [EtcdEndpoint]
    /// How long a connection, and then each wait for the answer, may take.
    public var timeout: Double

    public init(endpoints: [EtcdEndpoint], timeout: Double = 5) {
        self.endpoints = endpoints
        self.timeout = timeout
    }

    /// The key's value, nil when absent.
    public func get(_ key: String) throws(EtcdError) -> EtcdKeyValue? {
        let response: RangeResponse = try call("/v3/kv/range", RangeRequest(key: GatewayBytes(key)))
        return response.kvs?.first.map(EtcdKeyValue.init)
    }

    /// Every key that starts with `prefix`, in key order, and the store's revision then
    /// (a watch from the next revision misses nothing).
    public func list(prefix: String) throws(EtcdError) -> (pairs: [EtcdKeyValue], revision: Int64) {
        let response: RangeResponse = try call("/v3/kv/range", RangeRequest(key: GatewayBytes(prefix), range_end: GatewayBytes(rangeEnd(ofPrefix: prefix))))
        return ((response.kvs ?? []).map(EtcdKeyValue.init), response.header?.revision?.value ?? 0)
    }

    /// Sets the key, attached to `lease` unless it is 0.
    public func put(_ key: String, _ value: [UInt8], lease: Int64 = 0) throws(EtcdError) {
        let _: PutResponse = try call("/v3/kv/put", PutRequest(key: GatewayBytes(key), value: GatewayBytes(value), lease: lease == 0 ? nil : GatewayInteger(lease)))
    }

    /// Sets the key only if it does not exist (a transaction comparing its create revision
    /// with 0, as flannel writes a new lease); false when another client has it already.
    public func create(_ key: String, _ value: [UInt8], lease: Int64 = 0) throws(EtcdError) -> Bool {
        let put = PutRequest(key: GatewayBytes(key), value: GatewayBytes(value), lease: lease == 0 ? nil : GatewayInteger(lease))
        let request = TransactionRequest(
            compare: [.init(target: "CREATE", key: GatewayBytes(key), create_revision: GatewayInteger(0))],
            success: [.init(request_put: put)]
        )
        let response: TransactionResponse = try call("/v3/kv/txn", request)
        return response.succeeded ?? false
    }

    /// Deletes the key, or every key under it when `prefix`; returns how many went.
    @discardableResult
    public func delete(_ key: String, prefix: Bool = false) throws(EtcdError) -> Int64 {
        let request = DeleteRangeRequest(key: GatewayBytes(key), range_end: prefix ? GatewayBytes(rangeEnd(ofPrefix: key)) : nil)
        let response: DeleteRangeResponse = try call("/v3/kv/deleterange", request)
        return response.deleted?.value ?? 0
    }

    /// A new lease of `ttl` seconds; returns its id and the TTL etcd granted.
    public func grantLease(ttl: Int64) throws(EtcdError) -> (id: Int64, ttl: Int64) {
        let response: LeaseResponse = try call("/v3/lease/grant", LeaseGrantRequest(TTL: GatewayInteger(ttl)))
        if let error = response.error, !error.isEmpty { throw .server(status: 200, code: 0, message: error) }
        guard let id = response.ID?.value else { throw .malformed(path: "/v3/lease/grant", detail: "no lease ID") }
        return (id, response.TTL?.value ?? ttl)
    }

    /// Renews the lease for its whole TTL; returns the TTL, 0 when the lease has expired
    /// (etcd answers an unknown lease with no TTL, not an error).
    public func keepAlive(_ lease: Int64) throws(EtcdError) -> Int64 {
        let response: StreamMessage<LeaseResponse> = try call("/v3/lease/keepalive", LeaseRequest(ID: GatewayInteger(lease)))
        if let error = response.error { throw .server(status: 200, code: error.code ?? 0, message: error.message ?? error.error ?? "") }
        return response.result?.TTL?.value ?? 0
    }

    /// Ends the lease now, deleting its keys.
    public func revoke(_ lease: Int64) throws(EtcdError) {
        let _: LeaseRevokeResponse = try call("/v3/lease/revoke", LeaseRequest(ID: GatewayInteger(lease)))
    }

    /// Watches every key under `prefix` from `revision` on (the one after a `list`'s).
    public func watch(prefix: String, from revision: Int64) throws(EtcdError) -> EtcdWatch {
        let request = WatchRequest(create_request: .init(
            key: GatewayBytes(prefix), range_end: GatewayBytes(rangeEnd(ofPrefix: prefix)), start_revision: GatewayInteger(revision)
        ))
        let (stream, endpoint) = try open("/v3/watch", encode(request))
        return EtcdWatch(stream: stream, endpoint: endpoint, timeout: timeout)
    }

    /// Sends the request and reads the whole response, then decodes its JSON.
    func call<Request: Encodable, Response: Decodable>(_ path: String, _ request: Request) throws(EtcdError) -> Response {
        let (stream, endpoint) = try open(path, encode(request))
        var reader = HTTPResponseReader()
        var body: [UInt8] = []
        do {
            while !reader.isComplete {
                guard let bytes = try stream.receive(timeout: timeout) else {
                    throw EtcdError.silent(endpoint, seconds: timeout)
                }
                if bytes.isEmpty {
                    try reader.finish()
                    break
                }
                body += try reader.feed(bytes)
            }
        } catch let error as KernelError {
            throw .connection(endpoint, error)
        } catch let error as HTTPError {
            throw .http(endpoint, error)
        } catch let error as EtcdError {
            throw error
        } catch {
            throw .malformed(path: path, detail: "\(error)")
        }
        return try Self.decode(Response.self, body, status: reader.status ?? 0, path: path)
    }

    /// Decodes a response body: the message for a 200, the gateway's error otherwise.
    static func decode<Response: Decodable>(_ type: Response.Type, _ body: [UInt8], status: Int, path: String) throws(EtcdError) -> Response {
        guard status == 200 else {
            let error = try? JSONDecoder().decode(GatewayStatus.self, from: Data(body))
            throw .server(status: status, code: error?.code ?? 0, message: error?.message ?? String(decoding: body.prefix(200), as: UTF8.self))
        }
        do {
            return try JSONDecoder().decode(Response.self, from: Data(body))
        } catch {
            throw .malformed(path: path, detail: "\(error)")
        }
    }

    private func encode(_ request: some Encodable) -> [UInt8] {
        // The messages hold strings and integers only: encoding them cannot fail.
        (try? Array(JSONEncoder().encode(request))) ?? []
    }

    /// Connects to the first endpoint that answers and sends the POST.
    private func open(_ path: String, _ body: [UInt8]) throws(EtcdError) -> (TCPStream, EtcdEndpoint) {
        var first: EtcdError?
        for endpoint in endpoints {
            let stream: TCPStream
            do {
                stream = try TCPStream(connectingTo: endpoint.address, port: endpoint.port, timeout: timeout)
            } catch {
                first = first ?? .unreachable(endpoint, error)
                continue
            }
            let head = "POST \(path) HTTP/1.1\r\nHost: \(endpoint.address):\(endpoint.port)\r\nContent-Type: application/json\r\nContent-Length: \(body.count)\r\nConnection: close\r\n\r\n"
            do {
                try stream.send(Array(head.utf8) + body, timeout: timeout)
            } catch {
                throw .connection(endpoint, error)
            }
            return (stream, endpoint)
        }
        throw first ?? .badEndpoint("")
    }
}
