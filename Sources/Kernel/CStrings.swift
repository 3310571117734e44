#if canImport(Glibc)
import Glibc
#endif

/// NULL-terminated C string arrays for argv and envp, valid during `body`.
@discardableResult
public func withCStrings<R>(_ strings: [String], _ body: (UnsafePointer<UnsafeMutablePointer<CChar>?>) -> R) -> R {
    let pointers = strings.map { strdup($0) } + [nil]
    defer { pointers.forEach { free($0) } }
    return pointers.withUnsafeBufferPointer { body($0.baseAddress!) }
}

/// `text` as a C string during `body`, or NULL when there is none (an optional argument of
/// mount(2), a child's working directory).
func withOptionalCString<R>(_ text: String?, _ body: (UnsafePointer<CChar>?) -> R) -> R {
    guard let text else { return body(nil) }
    return text.withCString(body)
}
