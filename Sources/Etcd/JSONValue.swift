import FoundationEssentials

/// Any JSON document, for comparing two by structure: key order and spacing do not matter,
/// `1` and `1.0` are the same number. (etcd stores bytes; flannel's values are JSON, and an
/// expectation writes them as a learner would, not as flannel spaced them.)
public indirect enum JSONValue: Sendable, Equatable, Decodable, CustomStringConvertible {
    case null
    case bool(Bool)
    case number(Double)
    case string(String)
    case array([JSONValue])
    case object([String: JSONValue])

    /// Parses a JSON document; nil when `text` is not one.
    public init?(_ bytes: [UInt8]) {
        guard let value = try? JSONDecoder().decode(JSONValue.self, from: Data(bytes)) else { return nil }
        self = value
    }

    public init(from decoder: Decoder) throws {
        let container = try decoder.singleValueContainer()
        if container.decodeNil() {
            self = .null
        } else if let value = try? container.decode(Bool.self) {
            self = .bool(value)
        } else if let value = try? container.decode(Double.self) {
            self = .number(value)
        } else if let value = try? container.decode(String.self) {
            self = .string(value)
        } else if let value = try? container.decode([JSONValue].self) {
            self = .array(value)
        } else {
            self = .object(try container.decode([String: JSONValue].self))
        }
    }

    /// Compact JSON, object keys sorted: the same text for equal values.
    public var description: String {
        switch self {
        case .null: "null"
        case .bool(let value): value ? "true" : "false"
        case .number(let value): value == value.rounded() && abs(value) < 1e15 ? String(Int64(value)) : String(value)
        case .string(let value): Self.quote(value)
        case .array(let values): "[" + values.map(\.description).joined(separator: ",") + "]"
        case .object(let members): "{" + members.sorted { $0.key < $1.key }.map { Self.quote($0.key) + ":" + $0.value.description }.joined(separator: ",") + "}"
        }
    }

    /// Where `other` differs first, as a path (`BackendData.VNI`); nil when they are equal.
    public func firstDifference(from other: JSONValue, at path: String = "") -> String? {
        switch (self, other) {
        case (.object(let mine), .object(let theirs)):
            for key in Set(mine.keys).union(theirs.keys).sorted() {
                let here = path.isEmpty ? key : path + "." + key
                guard let left = mine[key], let right = theirs[key] else { return here }
                if let difference = left.firstDifference(from: right, at: here) { return difference }
            }
            return nil
        case (.array(let mine), .array(let theirs)) where mine.count == theirs.count:
            for (index, (left, right)) in zip(mine, theirs).enumerated() {
                if let difference = left.firstDifference(from: right, at: path + "[\(index)]") { return difference }
            }
            return nil
        default:
            return self == other ? nil : (path.isEmpty ? "the whole value" : path)
        }
    }

    private static func quote(_ text: String) -> String {
        var out = "\""
        for scalar in text.unicodeScalars {
            switch scalar {
            case "\"": out += "\\\""
            case "\\": out += "\\\\"
            case "\n": out += "\\n"
            case _ where scalar.value < 0x20: out += "\\u" + String(repeating: "0", count: 4 - String(scalar.value, radix: 16).count) + String(scalar.value, radix: 16)
            default: out.unicodeScalars.append(scalar)
            }
        }
        return out + "\""
    }
}
