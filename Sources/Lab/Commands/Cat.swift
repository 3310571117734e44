import Glibc
import Kernel

extension Command {
    static let cat = Command("cat", usage: "cat FILE...", summary: "print files") { call in
        try call.requireOperands(1...Int.max)
        for operand in call.operands {
            let path = try call.path(operand, for: .read)
            do throws(KernelError) { call.write(bytes: try FileSystem.readFile(path)) } catch {
                throw call.failure(operand, error, cause: cgroupFileCause(path, error) ?? catCause(error, operand: operand))
            }
        }
    }
}

private func catCause(_ error: KernelError, operand: String) -> String? {
    switch error.errno {
    case .ENOENT: "there is no \(operand): was it deleted, or is the overlay not mounted?"
    case Errno(ENXIO), .ENODEV: "\(operand) is a device; a character device 0,0 in an upper layer is a whiteout"
    default: likelyCause(of: error)
    }
}
