import FoundationEssentials

/// The JSON documents of a layout, encoded the same way every time: keys sorted, slashes
/// unescaped (media types are full of them), no whitespace. Their digests are stable because
/// their bytes are.
enum ImageJSON {
    static func encode(_ value: some Encodable) -> [UInt8] {
        let encoder = JSONEncoder()
        encoder.outputFormatting = [.sortedKeys, .withoutEscapingSlashes]
        // Every document here is structs of strings, numbers and arrays, which always encode.
        return Array(try! encoder.encode(value))
    }

    static func decode<T: Decodable>(_ type: T.Type, from bytes: [UInt8], role: String) throws(ImageError) -> T {
        do {
            return try JSONDecoder().decode(type, from: Data(bytes))
        } catch let DecodingError.dataCorrupted(context) {
            throw .malformed(role: role, reason: reason(context))
        } catch let DecodingError.keyNotFound(key, context) {
            throw .malformed(role: role, reason: "\(path(context.codingPath + [key])) is missing")
        } catch let DecodingError.typeMismatch(_, context), let DecodingError.valueNotFound(_, context) {
            throw .malformed(role: role, reason: reason(context))
        } catch {
            throw .malformed(role: role, reason: "\(error)")
        }
    }

    private static func reason(_ context: DecodingError.Context) -> String {
        let underlying = context.underlyingError.map { " (\($0))" } ?? ""
        let at = context.codingPath.isEmpty ? "" : "\(path(context.codingPath)): "
        return at + context.debugDescription + underlying
    }

    private static func path(_ keys: [any CodingKey]) -> String {
        keys.map { $0.intValue.map { "[\($0)]" } ?? "." + $0.stringValue }.joined()
    }
}
