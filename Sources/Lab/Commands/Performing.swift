import Kernel

extension Invocation {
    /// Makes `operations`, in order, where the command acts: the one way every command makes
    /// a setup operation.
    /// - while a process waits between clone and exec (`inChild`), or when an operation is one
    ///   only such a process makes (pivot_root, exec, capabilities…), in that process: its paths
    ///   are checked as it will walk them (`confineInChild`), and the batch goes to the launch
    ///   prologue it runs, which traces each call as `[pid N] call`;
    /// - otherwise in BoxLab: each path is confined under the path rules as this command uses
    ///   it, what reset must undo is journaled, and the call is made through the Kernel funnel.
    ///
    /// A failure names what the command was `doing`, and the likely `cause` of the kernel's
    /// error, given the operation that failed (with the paths as the kernel got them).
    func perform(_ operations: [SetupOperation], _ doing: String,
                 cause: (KernelError, SetupOperation) -> String? = { _, _ in nil }) throws {
        if inChild || operations.contains(where: \.needsProcessBeingSetUp) {
            try requireChild()
            let place = try confineInChild(operations)
            do { try workbench.held.run(operations) } catch {
                let kernelError = error as? KernelError
                // The batch stops at the first call that fails: the first operation making that call.
                let failed = kernelError.flatMap { error in operations.first { $0.traced.call == error.call } }
                throw failure(doing, error, cause: kernelError.flatMap { error in failed.flatMap { cause(error, $0) } } ?? unprivilegedCause(error))
            }
            workbench.held.place = place
            return
        }
        for operation in operations {
            // mkdir -p: a directory already there is left alone, and needs no leave to write.
            if case let .makeDirectory(path, _, true) = operation,
               (try? Trace.untraced({ () throws(KernelError) in try FileSystem.stat(workspace.resolve(path)) }))?.type == .directory {
                continue
            }
            let confined = try operation.mappingPaths { path, use, following throws(CommandError) in
                try self.path(path, for: use, following: following)
            }
            do { try workbench.journaling(confined) { try confined.perform() } } catch {
                throw failure(doing, error, cause: (error as? KernelError).flatMap { cause($0, confined) })
            }
        }
    }

    /// EPERM or EACCES in a rootless process being set up: its uid decides, not BoxLab's.
    private func unprivilegedCause(_ error: any Error) -> String? {
        guard let errno = (error as? KernelError)?.errno, errno == .EPERM || errno == .EACCES, let uid = unprivilegedHeldUID else { return nil }
        return "the process being set up is uid \(uid) outside its namespaces, with no privilege there: it may change only what that uid may (chown the directory to \(uid) first), and mount only in its own namespaces"
    }
}
