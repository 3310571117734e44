#if canImport(Glibc)
import Glibc
#endif

/// The funnel every system call in BoxLab goes through.
///
/// It makes the call, retries on EINTR, records a trace entry when a recorder is installed,
/// and turns a failure into a `KernelError` carrying the call, its arguments and the errno.
/// `arguments` is an autoclosure so that rendering costs nothing when nobody is tracing and
/// the call succeeds.
@discardableResult
@inline(__always)
func syscall<R: BinaryInteger>(
    _ call: String,
    _ arguments: @autoclosure () -> [String],
    render: (R) -> String = { String($0) },
    _ body: () -> R
) throws(KernelError) -> R {
    var result: R
    repeat {
        result = body()
    } while result == -1 && Glibc.errno == EINTR
    if result == -1 {
        let errno = Errno.current
        let rendered = arguments()
        Trace.recorder?.record(TraceEntry(call: call, arguments: rendered, result: nil, errno: errno))
        throw KernelError(call: call, arguments: rendered, errno: errno)
    }
    if let recorder = Trace.recorder {
        recorder.record(TraceEntry(call: call, arguments: arguments(), result: render(result), errno: nil))
    }
    return result
}

/// The funnel for calls that return a pointer and NULL on failure (opendir).
func syscall<P>(
    _ call: String,
    _ arguments: @autoclosure () -> [String],
    render: String = "0x…",
    _ body: () -> P?
) throws(KernelError) -> P {
    var result: P?
    repeat {
        result = body()
    } while result == nil && Glibc.errno == EINTR
    guard let value = result else {
        let errno = Errno.current
        let rendered = arguments()
        Trace.recorder?.record(TraceEntry(call: call, arguments: rendered, result: nil, errno: errno))
        throw KernelError(call: call, arguments: rendered, errno: errno)
    }
    Trace.recorder?.record(TraceEntry(call: call, arguments: arguments(), result: render, errno: nil))
    return value
}
