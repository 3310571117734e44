/// A measurement that could not be taken: reported in the table, never a hang or a crash.
struct BenchError: Error, CustomStringConvertible {
    let description: String

    init(_ description: String) { self.description = description }

    init(_ error: any Error) {
        description = (error as? BenchError)?.description ?? String(describing: error)
    }
}
