/// A mistake in a lab file. The description is one `FILE:LINE: message` line, the
/// format editors and CI logs already know how to link to the source.
public struct LabFileError: Error, Sendable, Equatable, CustomStringConvertible {
    public var location: SourceLocation
    public var message: String

    public init(location: SourceLocation, message: String) {
        self.location = location
        self.message = message
    }

    public var description: String {
        // Line 0 means no line is to blame (the file could not be read), so none is printed.
        location.line > 0 ? "\(location): \(message)" : "\(location.file): \(message)"
    }
}

extension LabFileError {
    init(_ file: String, _ line: Int, _ message: String) {
        self.init(location: SourceLocation(file: file, line: line), message: message)
    }
}
