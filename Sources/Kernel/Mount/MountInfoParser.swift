/// A line of mountinfo that does not have the shape proc(5) gives.
public struct MountInfoParseError: Error, Sendable, CustomStringConvertible {
    /// 1-based.
    public var line: Int
    public var reason: String

    public init(line: Int, reason: String) {
        self.line = line
        self.reason = reason
    }

    public var description: String { "mountinfo line \(line): \(reason)" }
}

extension MountInfoEntry {
    /// Parses `36 35 98:0 /mnt1 /mnt2 rw,noatime master:1 - ext3 /dev/root rw,errors=continue`.
    ///
    /// Fields are split on single spaces, option lists on commas, and only then are the kernel's
    /// octal escapes (`\040` space, `\011` tab, `\012` newline, `\134` backslash, and `\054` comma
    /// inside option values) decoded, so escaped separators never split.
    init(mountinfoLine line: Substring, number: Int) throws(MountInfoParseError) {
        func failure(_ reason: String) -> MountInfoParseError { MountInfoParseError(line: number, reason: reason) }

        // An empty source prints as nothing between two spaces, so empty fields are kept.
        let fields = line.splitBytes(" ", keepingEmpty: true)
        guard let separator = fields.firstIndex(of: "-") else { throw failure("no \"-\" separator") }
        guard separator >= 6 else { throw failure("\(separator) fields before \"-\", expected at least 6") }
        guard fields.count - separator == 4 else {
            throw failure("\(fields.count - separator - 1) fields after \"-\", expected 3")
        }
        guard let mountID = Int(fields[0]) else { throw failure("mount ID \"\(fields[0])\" is not a number") }
        guard let parentID = Int(fields[1]) else { throw failure("parent ID \"\(fields[1])\" is not a number") }
        let numbers = fields[2].splitBytes(":")
        guard numbers.count == 2, let major = UInt32(numbers[0]), let minor = UInt32(numbers[1]) else {
            throw failure("device \"\(fields[2])\" is not major:minor")
        }
        self.init(
            mountID: mountID,
            parentID: parentID,
            device: DeviceNumber(major: major, minor: minor),
            root: Self.unescape(fields[3]),
            mountPoint: Self.unescape(fields[4]),
            mountOptions: Self.options(fields[5]),
            optionalFields: fields[6..<separator].map { Self.unescape($0) },
            fstype: Self.unescape(fields[separator + 1]),
            source: Self.unescape(fields[separator + 2]),
            superOptions: Self.options(fields[separator + 3])
        )
    }

    private static func options(_ field: Substring) -> [String] {
        field.splitBytes(",").map { unescape($0) }
    }

    /// Decodes `\ooo` octal escapes; a backslash not followed by three octal digits stays as is.
    private static func unescape(_ field: Substring) -> String {
        // Almost every field has no escape: no need to copy it byte by byte.
        guard field.utf8.contains(UInt8(ascii: "\\")) else { return String(field) }
        let bytes = Array(field.utf8)
        var decoded: [UInt8] = []
        decoded.reserveCapacity(bytes.count)
        var index = 0
        while index < bytes.count {
            if bytes[index] == UInt8(ascii: "\\"), index + 3 < bytes.count,
               let byte = octalByte(bytes[(index + 1)...(index + 3)]) {
                decoded.append(byte)
                index += 4
            } else {
                decoded.append(bytes[index])
                index += 1
            }
        }
        return String(decoding: decoded, as: UTF8.self)
    }

    private static func octalByte(_ digits: ArraySlice<UInt8>) -> UInt8? {
        var value = 0
        for digit in digits {
            guard (UInt8(ascii: "0")...UInt8(ascii: "7")).contains(digit) else { return nil }
            value = value * 8 + Int(digit - UInt8(ascii: "0"))
        }
        return value <= 0xff ? UInt8(value) : nil
    }
}

extension Substring {
    /// Splits on an ASCII separator by bytes. `split(separator:)` on characters checks grapheme
    /// boundaries at every step, which was most of the cost of reading the mount table; the
    /// pieces are still substrings of the same text, nothing is copied.
    func splitBytes(_ separator: Unicode.Scalar, keepingEmpty: Bool = false) -> [Substring] {
        utf8.split(separator: UInt8(separator.value), omittingEmptySubsequences: !keepingEmpty).map { self[$0.startIndex..<$0.endIndex] }
    }
}
