/// printf(1) as coreutils does it, for the conversions a lab needs: `%s`, `%d`/`%i`, `%c`
/// and `%%`, with flags (`-`, `0`, `+`, space, `#`), a width and a precision (`*` takes them
/// from the arguments), the format's backslash escapes, and the format reused while
/// arguments remain and it consumes some. Widths count bytes, as C's printf does.
enum PrintfFormat {
    /// A width or precision beyond this would only fill the workspace: coreutils takes up
    /// to INT_MAX, but no lab needs a megabyte of padding.
    static let maximumWidth = 1 << 20

    static func render(_ format: String, arguments: [String]) throws(PrintfError) -> [UInt8] {
        let format = Array(format.utf8)
        var remaining = arguments[...]
        var out: [UInt8] = []
        while true {
            let before = remaining.count
            var renderer = Renderer(format: format, arguments: remaining)
            let stopped = try renderer.render(into: &out)
            remaining = renderer.arguments
            // As coreutils: a format that consumed nothing is not repeated (`%%`, plain text).
            if stopped || remaining.isEmpty || remaining.count == before { return out }
        }
    }

    /// One pass over the format.
    private struct Renderer {
        let format: [UInt8]
        var arguments: ArraySlice<String>
        var index = 0

        init(format: [UInt8], arguments: ArraySlice<String>) {
            self.format = format
            self.arguments = arguments
        }

        var current: UInt8? { index < format.count ? format[index] : nil }

        /// Returns true when `\c` ended all output.
        mutating func render(into out: inout [UInt8]) throws(PrintfError) -> Bool {
            while let byte = current {
                index += 1
                switch byte {
                case UInt8(ascii: "\\"):
                    if try escape(into: &out) { return true }
                case UInt8(ascii: "%"):
                    try directive(into: &out)
                default:
                    out.append(byte)
                }
            }
            return false
        }

        /// After a backslash. The escapes of coreutils' format strings.
        mutating func escape(into out: inout [UInt8]) throws(PrintfError) -> Bool {
            guard let byte = current else { out.append(UInt8(ascii: "\\")); return false }
            index += 1
            let simple: [UInt8: UInt8] = [
                UInt8(ascii: "\\"): 0x5C, UInt8(ascii: "\""): 0x22, UInt8(ascii: "a"): 7, UInt8(ascii: "b"): 8,
                UInt8(ascii: "e"): 27, UInt8(ascii: "f"): 12, UInt8(ascii: "n"): 10, UInt8(ascii: "r"): 13,
                UInt8(ascii: "t"): 9, UInt8(ascii: "v"): 11,
            ]
            if let value = simple[byte] { out.append(value); return false }
            switch byte {
            case UInt8(ascii: "c"):
                return true
            case UInt8(ascii: "0")...UInt8(ascii: "7"):
                var value = Int(byte - UInt8(ascii: "0"))
                for _ in 0..<2 {
                    guard let digit = current, (UInt8(ascii: "0")...UInt8(ascii: "7")).contains(digit) else { break }
                    value = value * 8 + Int(digit - UInt8(ascii: "0"))
                    index += 1
                }
                out.append(UInt8(truncatingIfNeeded: value))
            case UInt8(ascii: "x"):
                let value = hexadecimal(upTo: 2)
                guard let value else { throw PrintfError("missing hexadecimal number in escape", cause: "write \\x41 for A") }
                out.append(UInt8(value))
            case UInt8(ascii: "u"), UInt8(ascii: "U"):
                let digits = byte == UInt8(ascii: "u") ? 4 : 8
                let start = index
                guard let value = hexadecimal(upTo: digits), index - start == digits, let scalar = Unicode.Scalar(value) else {
                    throw PrintfError("invalid universal character name \\\(Character(Unicode.Scalar(byte)))\(String(decoding: format[start..<index], as: UTF8.self))",
                                      cause: "\\u takes 4 hexadecimal digits, \\U 8, naming a Unicode character")
                }
                out += Array(String(Character(scalar)).utf8)
            default:
                out.append(UInt8(ascii: "\\"))
                out.append(byte)
            }
            return false
        }

        mutating func hexadecimal(upTo count: Int) -> UInt32? {
            var value: UInt32?
            for _ in 0..<count {
                guard let byte = current, let digit = hexDigit(byte) else { break }
                value = (value ?? 0) * 16 + digit
                index += 1
            }
            return value
        }

        /// After a `%`.
        mutating func directive(into out: inout [UInt8]) throws(PrintfError) {
            let start = index - 1
            if current == UInt8(ascii: "%") { index += 1; out.append(UInt8(ascii: "%")); return }
            var flags = Set<UInt8>()
            while let byte = current, Array("-+ #0'".utf8).contains(byte) {
                flags.insert(byte)
                index += 1
            }
            var width = try number(start: start, what: "field width")
            if width < 0 { flags.insert(UInt8(ascii: "-")); width = -width }
            var precision: Int?
            if current == UInt8(ascii: ".") {
                index += 1
                let value = try number(start: start, what: "precision")
                precision = value < 0 ? nil : value
            }
            while let byte = current, Array("hlLqjzt".utf8).contains(byte) { index += 1 }
            guard let conversion = current else { throw unsupported(start) }
            index += 1
            let body: [UInt8]
            switch conversion {
            case UInt8(ascii: "s"):
                body = truncated(Array((arguments.popFirst() ?? "").utf8), to: precision)
            case UInt8(ascii: "c"):
                body = arguments.popFirst()?.first.map { Array(String($0).utf8) } ?? [0]
            case UInt8(ascii: "d"), UInt8(ascii: "i"):
                let value = try arguments.popFirst().map { text throws(PrintfError) in try Self.integer(text) } ?? 0
                body = Self.decimal(value, precision: precision, flags: flags, width: width)
            default:
                throw unsupported(start)
            }
            let fill = max(0, width - body.count)
            if flags.contains(UInt8(ascii: "-")) {
                out += body + [UInt8](repeating: 0x20, count: fill)
            } else {
                out += [UInt8](repeating: 0x20, count: fill) + body
            }
        }

        /// A width or precision: digits, `*` (the next argument), or nothing (0).
        mutating func number(start: Int, what: String) throws(PrintfError) -> Int {
            if current == UInt8(ascii: "*") {
                index += 1
                let value = try arguments.popFirst().map { text throws(PrintfError) in try Self.integer(text) } ?? 0
                guard value.magnitude <= PrintfFormat.maximumWidth else { throw tooLarge(what, String(value)) }
                return Int(value)
            }
            var value = 0
            let digitsStart = index
            while let byte = current, (UInt8(ascii: "0")...UInt8(ascii: "9")).contains(byte) {
                index += 1
                value = value * 10 + Int(byte - UInt8(ascii: "0"))
                guard value <= PrintfFormat.maximumWidth else {
                    while let more = current, (UInt8(ascii: "0")...UInt8(ascii: "9")).contains(more) { index += 1 }
                    throw tooLarge(what, String(decoding: format[digitsStart..<index], as: UTF8.self))
                }
            }
            return value
        }

        func tooLarge(_ what: String, _ text: String) -> PrintfError {
            PrintfError("\(what) \(text) is too large", cause: "BoxLab's printf pads to at most \(PrintfFormat.maximumWidth) bytes")
        }

        /// The directive from its `%` to the character that ended it, for the message.
        func unsupported(_ start: Int) -> PrintfError {
            let text = String(decoding: format[start..<index], as: UTF8.self)
            return PrintfError("\(text): invalid or unsupported conversion specification",
                               cause: "BoxLab's printf knows %s, %d, %i, %c and %% with flags, a width and a precision; use an sh block for others")
        }

        /// %s's precision cuts bytes, but never in the middle of a character.
        func truncated(_ bytes: [UInt8], to precision: Int?) -> [UInt8] {
            guard let precision, precision < bytes.count else { return bytes }
            var end = precision
            while end > 0, bytes[end] & 0xC0 == 0x80 { end -= 1 }
            return Array(bytes[..<end])
        }

        /// An integer argument as coreutils reads one: C's strtoimax with base 0 (leading
        /// blanks, a sign, 0x for hexadecimal, 0 for octal), or 'C for a character's code.
        static func integer(_ text: String) throws(PrintfError) -> Int64 {
            if let first = text.first, first == "'" || first == "\"", let character = text.unicodeScalars.dropFirst().first {
                return Int64(character.value)
            }
            var bytes = Array(text.utf8)[...]
            while let first = bytes.first, [0x20, 0x09, 0x0A, 0x0B, 0x0C, 0x0D].contains(first) { bytes = bytes.dropFirst() }
            var negative = false
            if let sign = bytes.first, sign == UInt8(ascii: "-") || sign == UInt8(ascii: "+") {
                negative = sign == UInt8(ascii: "-")
                bytes = bytes.dropFirst()
            }
            var radix: UInt64 = 10
            if bytes.first == UInt8(ascii: "0"), bytes.count > 1 {
                let second = bytes[bytes.startIndex + 1]
                if second == UInt8(ascii: "x") || second == UInt8(ascii: "X") {
                    if bytes.count > 2, hexDigit(bytes[bytes.startIndex + 2]) != nil {
                        radix = 16
                        bytes = bytes.dropFirst(2)
                    }
                } else {
                    radix = 8
                }
            }
            guard !bytes.isEmpty else { throw PrintfError("'\(text)': expected a numeric value", cause: "write a whole number such as 42, 0x2A or 052") }
            var magnitude: UInt64 = 0
            for (index, byte) in zip(bytes.indices, bytes) {
                guard let digit = hexDigit(byte), UInt64(digit) < radix else {
                    // As strtoimax: no digit at all is not a number; digits then others are a number cut short.
                    throw index == bytes.startIndex && radix == 10
                        ? PrintfError("'\(text)': expected a numeric value", cause: "write a whole number such as 42, 0x2A or 052")
                        : PrintfError("'\(text)': value not completely converted", cause: "write a whole number such as 42, 0x2A or 052")
                }
                let (shifted, overflow) = magnitude.multipliedReportingOverflow(by: radix)
                let (sum, carry) = shifted.addingReportingOverflow(UInt64(digit))
                guard !overflow, !carry, sum <= UInt64(Int64.max) + (negative ? 1 : 0) else {
                    throw PrintfError("'\(text)': Numerical result out of range", cause: "a number is at most \(Int64.max)")
                }
                magnitude = sum
            }
            return negative ? Int64(truncatingIfNeeded: 0 &- magnitude) : Int64(magnitude)
        }

        /// %d's text: the precision's leading zeros, the sign flags, and `0` padding to the
        /// width when there is no precision (as C does).
        static func decimal(_ value: Int64, precision: Int?, flags: Set<UInt8>, width: Int) -> [UInt8] {
            var digits = Array(String(value.magnitude).utf8)
            if precision == 0, value == 0 { digits = [] }
            if let precision, precision > digits.count { digits = [UInt8](repeating: 0x30, count: precision - digits.count) + digits }
            let sign: [UInt8] = value < 0 ? [UInt8(ascii: "-")]
                : flags.contains(UInt8(ascii: "+")) ? [UInt8(ascii: "+")]
                : flags.contains(UInt8(ascii: " ")) ? [0x20] : []
            if flags.contains(UInt8(ascii: "0")), !flags.contains(UInt8(ascii: "-")), precision == nil, width > sign.count + digits.count {
                digits = [UInt8](repeating: 0x30, count: width - sign.count - digits.count) + digits
            }
            return sign + digits
        }
    }
}

private func hexDigit(_ byte: UInt8) -> UInt32? {
    switch byte {
    case UInt8(ascii: "0")...UInt8(ascii: "9"): UInt32(byte - UInt8(ascii: "0"))
    case UInt8(ascii: "a")...UInt8(ascii: "f"): UInt32(byte - UInt8(ascii: "a") + 10)
    case UInt8(ascii: "A")...UInt8(ascii: "F"): UInt32(byte - UInt8(ascii: "A") + 10)
    default: nil
    }
}

/// A format or argument printf cannot take, said as coreutils says it.
struct PrintfError: Error, Sendable, Equatable {
    var message: String
    var cause: String?

    init(_ message: String, cause: String? = nil) {
        self.message = message
        self.cause = cause
    }
}
