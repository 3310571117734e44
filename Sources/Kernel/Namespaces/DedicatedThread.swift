#if canImport(Glibc)
import Glibc
#endif

/// Runs `body` on a thread started for it, and waits for that thread to end.
///
/// `unshare(CLONE_NEWNET)` and `setns(…, CLONE_NEWNET)` move only the calling thread, and a
/// Swift process has threads BoxLab does not control (Dispatch's, the runtime's) that may
/// run any work. So work inside another network namespace gets a thread of its own that
/// ends with the work: no other code ever runs on a thread in the wrong namespace, and
/// nothing has to be switched back. The trace recorder of the caller goes along.
///
/// The corresponding C functions are `pthread_create` and `pthread_join`.
func onDedicatedThread<R>(_ body: () throws(KernelError) -> R) throws(KernelError) -> R {
    let recorder = Trace.recorder
    var outcome: Result<R, KernelError>?
    // The closure does not outlive this call: the thread is joined before it returns.
    try withoutActuallyEscaping(body) { (body) throws(KernelError) in
        let work = ThreadWork {
            outcome = Trace.$recorder.withValue(recorder) { Result { () throws(KernelError) in try body() } }
        }
        var thread = pthread_t()
        let created = pthread_create(&thread, nil, { context in
            Unmanaged<ThreadWork>.fromOpaque(context!).takeRetainedValue().run()
            return nil
        }, Unmanaged.passRetained(work).toOpaque())
        guard created == 0 else {
            Unmanaged.passUnretained(work).release()
            throw KernelError(call: "pthread_create", arguments: ["/* a thread for the namespace */"], errno: Errno(created))
        }
        pthread_join(thread, nil)
    }
    return try outcome!.get()
}

/// The closure a dedicated thread runs, handed over as a retained pointer.
private final class ThreadWork: @unchecked Sendable {
    let run: () -> Void

    init(_ run: @escaping () -> Void) { self.run = run }
}
