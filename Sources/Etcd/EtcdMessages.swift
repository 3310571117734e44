import FoundationEssentials

// The JSON of etcd's gRPC gateway (etcdserverpb as protojson writes it): 64-bit integers are
// strings, bytes are base64, and fields at their zero value are left out.

/// A 64-bit integer as the gateway writes it: a string; a number is accepted too.
struct GatewayInteger: Codable, Sendable, Equatable {
    var value: Int64

    init(_ value: Int64) { self.value = value }

    init(from decoder: Decoder) throws {
        let container = try decoder.singleValueContainer()
        if let text = try? container.decode(String.self) {
            guard let value = Int64(text) else {
                throw DecodingError.dataCorruptedError(in: container, debugDescription: "\(text) is not a 64-bit integer")
            }
            self.value = value
        } else {
            value = try container.decode(Int64.self)
        }
    }

    func encode(to encoder: Encoder) throws {
        var container = encoder.singleValueContainer()
        try container.encode(String(value))
    }
}

/// Bytes as the gateway writes them: base64.
struct GatewayBytes: Codable, Sendable, Equatable {
    var bytes: [UInt8]

    init(_ bytes: [UInt8]) { self.bytes = bytes }
    init(_ text: String) { bytes = Array(text.utf8) }

    init(from decoder: Decoder) throws {
        let container = try decoder.singleValueContainer()
        let text = try container.decode(String.self)
        guard let data = Data(base64Encoded: text) else {
            throw DecodingError.dataCorruptedError(in: container, debugDescription: "\(text.prefix(40)) is not base64")
        }
        bytes = Array(data)
    }

    func encode(to encoder: Encoder) throws {
        var container = encoder.singleValueContainer()
        try container.encode(Data(bytes).base64EncodedString())
    }
}

struct ResponseHeader: Codable, Sendable {
    var revision: GatewayInteger?
}

struct RangeRequest: Codable, Sendable {
    var key: GatewayBytes
    var range_end: GatewayBytes?
}

struct KeyValueMessage: Codable, Sendable {
    var key: GatewayBytes
    var value: GatewayBytes?
    var create_revision: GatewayInteger?
    var mod_revision: GatewayInteger?
    var version: GatewayInteger?
    var lease: GatewayInteger?
}

struct RangeResponse: Codable, Sendable {
    var header: ResponseHeader?
    var kvs: [KeyValueMessage]?
    var count: GatewayInteger?
}

struct PutRequest: Codable, Sendable {
    var key: GatewayBytes
    var value: GatewayBytes
    var lease: GatewayInteger?
}

struct PutResponse: Codable, Sendable {
    var header: ResponseHeader?
}

struct DeleteRangeRequest: Codable, Sendable {
    var key: GatewayBytes
    var range_end: GatewayBytes?
}

struct DeleteRangeResponse: Codable, Sendable {
    var header: ResponseHeader?
    var deleted: GatewayInteger?
}

/// A transaction: `compare` all true → `success`, else `failure` (BoxLab needs only the
/// create-if-absent form flannel's lease uses).
struct TransactionRequest: Codable, Sendable {
    struct Compare: Codable, Sendable {
        var target: String
        var key: GatewayBytes
        var create_revision: GatewayInteger?
    }
    struct Operation: Codable, Sendable {
        var request_put: PutRequest?
    }
    var compare: [Compare]
    var success: [Operation]
}

struct TransactionResponse: Codable, Sendable {
    var header: ResponseHeader?
    var succeeded: Bool?
}

struct LeaseGrantRequest: Codable, Sendable {
    var TTL: GatewayInteger
}

struct LeaseGrantResponse: Codable, Sendable {
    var header: ResponseHeader?
    var ID: GatewayInteger?
    var TTL: GatewayInteger?
    var error: String?
}

struct LeaseRequest: Codable, Sendable {
    var ID: GatewayInteger
}

struct LeaseKeepAliveResponse: Codable, Sendable {
    var header: ResponseHeader?
    var ID: GatewayInteger?
    var TTL: GatewayInteger?
}

struct LeaseRevokeResponse: Codable, Sendable {
    var header: ResponseHeader?
}

/// A streamed response's message: `{"result": …}` or `{"error": …}`.
struct StreamMessage<Result: Codable & Sendable>: Codable, Sendable {
    var result: Result?
    var error: GatewayStatus?
}

/// The gateway's error body, a gRPC status.
struct GatewayStatus: Codable, Sendable {
    var error: String?
    var message: String?
    var code: Int?
}

struct WatchRequest: Codable, Sendable {
    struct Create: Codable, Sendable {
        var key: GatewayBytes
        var range_end: GatewayBytes?
        var start_revision: GatewayInteger?
    }
    var create_request: Create
}

struct WatchResponse: Codable, Sendable {
    struct Event: Codable, Sendable {
        var type: String?
        var kv: KeyValueMessage?
    }
    var header: ResponseHeader?
    var created: Bool?
    var canceled: Bool?
    var cancel_reason: String?
    var compact_revision: GatewayInteger?
    var events: [Event]?
}
