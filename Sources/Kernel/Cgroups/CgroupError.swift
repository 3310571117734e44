/// Why BoxLab cannot use the machine's cgroups as a lab needs them: one line naming the fix.
public struct CgroupError: Error, Sendable, Equatable, CustomStringConvertible {
    public var message: String
    /// The failed call underneath, when there was one.
    public var kernel: KernelError?

    public init(_ message: String, kernel: KernelError? = nil) {
        self.message = message
        self.kernel = kernel
    }

    public var description: String { message }
}
