extension Trace {
    /// Runs `body` with no recorder, for BoxLab's own bookkeeping (ledger, snapshots, checks)
    /// made while a learner's command is being traced.
    public static func untraced<R, E: Error>(_ body: () throws(E) -> R) throws(E) -> R {
        let result: Result<R, E> = $recorder.withValue(nil) {
            do throws(E) { return .success(try body()) } catch { return .failure(error) }
        }
        return try result.get()
    }
}
