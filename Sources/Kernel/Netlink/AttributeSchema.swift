/// How the attributes at one level of one kind of message read for a learner: the name
/// each known type goes by (the kernel's, lower-cased and without its `IFLA_`-style
/// prefix) and how its payload is shown. Attributes a schema leaves out are counted, so
/// the rendering can say that it shows only part of the message.
struct AttributeSchema: Sendable {
    typealias Render = @Sendable (NetlinkAttribute) -> String

    var fields: [UInt16: (name: String, render: Render)]

    init(_ fields: [UInt16: (name: String, render: Render)]) {
        self.fields = fields
    }

    /// `name=value` for each known attribute, in the order the message carries them, and
    /// whether any were left out.
    func render(_ attributes: [NetlinkAttribute]) -> (parts: [String], omitted: Bool) {
        var parts: [String] = []
        for attribute in attributes {
            guard let field = fields[attribute.type] else { continue }
            parts.append("\(field.name)=\(field.render(attribute))")
        }
        return (parts, parts.count < attributes.count)
    }
}

/// The payload renderings schemas share.
enum AttributeValue {
    static let string: AttributeSchema.Render = { traceQuote($0.string) }

    /// A host-order unsigned integer of whatever width the attribute has.
    static let unsigned: AttributeSchema.Render = { attribute in
        switch attribute.payload.count {
        case 1: String(attribute.payload[0])
        case 2: String(attribute.integer(UInt16.self)!)
        case 4: String(attribute.integer(UInt32.self)!)
        case 8: String(attribute.integer(UInt64.self)!)
        default: hex(attribute)
        }
    }

    static let signed: AttributeSchema.Render = { attribute in
        attribute.integer(Int32.self).map { String($0) } ?? hex(attribute)
    }

    static let ip: AttributeSchema.Render = { attribute in
        IPAddress(bytes: attribute.payload).map(\.description) ?? hex(attribute)
    }

    static let mac: AttributeSchema.Render = { MACAddress(bytes: $0.payload).description }

    /// Raw bytes as strace shows them, for payloads with no better reading.
    static let hex: AttributeSchema.Render = { attribute in
        "\"" + attribute.payload.map { "\\x" + ($0 < 16 ? "0" : "") + String($0, radix: 16) }.joined() + "\""
    }

    /// A nested list read with `schema`, `{a=1, b=2}`.
    static func nested(_ schema: AttributeSchema) -> AttributeSchema.Render {
        { attribute in braced(schema.render(attribute.children ?? [])) }
    }

    /// `{a=1, b=2, ...}`: the form of every level below the message's own.
    static func braced(_ rendered: (parts: [String], omitted: Bool)) -> String {
        "{" + (rendered.parts + (rendered.omitted ? ["..."] : [])).joined(separator: ", ") + "}"
    }
}
