/// A line in a lab file, printed the way compilers print them so editors can jump there.
public struct SourceLocation: Sendable, Hashable, CustomStringConvertible {
    public var file: String
    /// 1-based; 0 when the error concerns the whole file (it could not be read).
    public var line: Int

    public init(file: String, line: Int) {
        self.file = file
        self.line = line
    }

    public var description: String { "\(file):\(line)" }
}

/// One command or expectation together with where it was written, so a failure can
/// point the author at the line to change.
public struct SourceLine: Sendable, Equatable {
    public var text: String
    public var location: SourceLocation

    public init(text: String, location: SourceLocation) {
        self.text = text
        self.location = location
    }
}
