import Etcd

/// What an etcd holds, asked from a network namespace (at 127.0.0.1:2379 there, where the
/// lab's etcd listens beside its underlay address):
///
///     etcd KEY == JSON [in NS]                                (the value, compared as JSON)
///     etcd PREFIX has N keys [in NS]                          (keys starting with PREFIX)
///     etcd PREFIX leases disjoint within config [in NS]       (flannel's leases under PREFIX/subnets/)
public enum EtcdExpectation: Sendable, Equatable {
    case value(key: String, json: JSONValue, namespace: String)
    case count(prefix: String, keys: Int, namespace: String)
    case leasesDisjoint(prefix: String, namespace: String)

    static let forms = [
        "etcd KEY == JSON [in NS]",
        "etcd PREFIX has N keys [in NS]",
        "etcd PREFIX leases disjoint within config [in NS]",
    ]

    var namespace: String {
        switch self {
        case .value(_, _, let namespace), .count(_, _, let namespace), .leasesDisjoint(_, let namespace): namespace
        }
    }

    var subject: String {
        switch self {
        case .value(let key, _, let namespace): "etcd \(namespace):\(key)"
        case .count(let prefix, _, let namespace): "etcd \(namespace):\(prefix)*"
        case .leasesDisjoint(let prefix, let namespace): "etcd \(namespace):\(prefix) leases"
        }
    }

    static func parse(_ words: [String]) throws(ExpectationError) -> Expectation {
        var words = words
        var namespace = NetworkPlaces.host
        if words.count >= 2, words[words.count - 2] == "in" {
            namespace = words.removeLast()
            words.removeLast()
        }
        guard let key = words.first else {
            throw ExpectationError(message: "etcd needs a key", form: forms.joined(separator: " | "))
        }
        let rest = Array(words.dropFirst())
        switch rest.first {
        case "==":
            guard rest.count == 2 else {
                throw ExpectationError(message: "after ==, expected one JSON value (quote it: '{\"Network\":\"172.18.0.0/16\"}')", form: forms[0])
            }
            guard let json = JSONValue(Array(rest[1].utf8)) else {
                throw ExpectationError(message: "'\(rest[1])' is not JSON (quote the whole value with single quotes, so that its double quotes stay)", form: forms[0])
            }
            return .etcd(.value(key: key, json: json, namespace: namespace))
        case "has":
            guard rest.count == 3, let count = Int(rest[1]), count >= 0, rest[2] == "keys" || rest[2] == "key" else {
                throw ExpectationError(message: "after has, expected a number and keys", form: forms[1])
            }
            return .etcd(.count(prefix: key, keys: count, namespace: namespace))
        case "leases":
            guard rest == ["leases", "disjoint", "within", "config"] else {
                throw ExpectationError(message: "expected leases disjoint within config", form: forms[2])
            }
            return .etcd(.leasesDisjoint(prefix: key.hasSuffix("/") ? String(key.dropLast()) : key, namespace: namespace))
        default:
            throw ExpectationError(message: "after \(key), expected == JSON, has N keys, or leases disjoint within config", form: forms.joined(separator: " | "))
        }
    }
}
