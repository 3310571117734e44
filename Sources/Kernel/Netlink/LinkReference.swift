/// A link named as a command names it: by name (`veth-red`) or by index (`3`).
/// Requests that need an index look the name up first, as `ip` does.
public enum LinkReference: Sendable, Hashable, CustomStringConvertible, ExpressibleByStringLiteral {
    case name(String)
    case index(Int32)

    public init(stringLiteral name: String) { self = .name(name) }

    /// `"veth-red"` or `index 3`.
    public var description: String {
        switch self {
        case .name(let name): traceQuote(name)
        case .index(let index): "index \(index)"
        }
    }
}
