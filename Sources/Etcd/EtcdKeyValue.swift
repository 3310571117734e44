/// One key of etcd's keyspace as a range or a watch returns it.
public struct EtcdKeyValue: Sendable, Equatable {
    public var key: String
    public var value: [UInt8]
    /// The revision that created the key (0: absent, as a transaction's compare counts it).
    public var createRevision: Int64
    public var modRevision: Int64
    /// The lease that keeps the key alive; 0 for none.
    public var lease: Int64

    public init(key: String, value: [UInt8], createRevision: Int64 = 0, modRevision: Int64 = 0, lease: Int64 = 0) {
        self.key = key
        self.value = value
        self.createRevision = createRevision
        self.modRevision = modRevision
        self.lease = lease
    }

    init(_ message: KeyValueMessage) {
        self.init(
            key: String(decoding: message.key.bytes, as: UTF8.self), value: message.value?.bytes ?? [],
            createRevision: message.create_revision?.value ?? 0, modRevision: message.mod_revision?.value ?? 0,
            lease: message.lease?.value ?? 0
        )
    }

    /// The value as text (etcd stores bytes; flannel's are JSON).
    public var text: String { String(decoding: value, as: UTF8.self) }
}

/// A change a watch reports: a key put (created or changed) or deleted (by a client, or by
/// its lease expiring).
public enum EtcdEvent: Sendable, Equatable {
    case put(EtcdKeyValue)
    case delete(key: String, revision: Int64)

    public var key: String {
        switch self {
        case .put(let pair): pair.key
        case .delete(let key, _): key
        }
    }
}

/// The end of the range of every key that starts with `prefix`, as etcdctl's `--prefix`
/// computes it: the prefix with its last byte that is not 0xff incremented.
func rangeEnd(ofPrefix prefix: String) -> [UInt8] {
    var bytes = Array(prefix.utf8)
    while let last = bytes.last {
        if last < 0xff {
            bytes[bytes.count - 1] = last + 1
            return bytes
        }
        bytes.removeLast()
    }
    // Every byte 0xff (or no prefix): "\0" means every key from `key` on.
    return [0]
}
