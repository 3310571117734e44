#if canImport(Glibc)
import Glibc
#endif
import CBoxLab

/// An eBPF program loaded into the kernel (its descriptor): what bpf(2) gives back once the
/// verifier has accepted the instructions, to attach somewhere and then close.
public struct BPFProgram: Sendable {
    public private(set) var descriptor: FileDescriptor

    /// linux/bpf.h's BPF_PROG_TYPE_CGROUP_DEVICE and BPF_CGROUP_DEVICE.
    static let cgroupDeviceType: UInt32 = 15
    static let cgroupDeviceAttach: UInt32 = 6
    /// BPF_F_ALLOW_MULTI: the parent's programs still run, as runc attaches.
    static let allowMulti: UInt32 = 2

    /// Loads `filter` as a cgroup device program named `name` (at most 15 letters, digits,
    /// `_` or `.`, as the kernel checks). A program the verifier refuses fails with its log
    /// in the error's detail.
    ///
    /// The corresponding C function is `bpf` (BPF_PROG_LOAD).
    public static func load(_ filter: DeviceFilter, name: String) throws(KernelError) -> BPFProgram {
        let code = filter.bytes
        // The license decides only which kernel helpers a program may call; this one calls none.
        let license = "GPL"
        var log = [CChar](repeating: 0, count: 65536)
        do {
            let descriptor = try syscall("bpf", [
                "BPF_PROG_LOAD", "{prog_type=BPF_PROG_TYPE_CGROUP_DEVICE, insn_cnt=\(filter.instructions.count), insns=0x…, license=\"\(license)\", log_level=1, log_size=\(log.count), log_buf=0x…, prog_name=\"\(name)\"}",
                "\(boxlab_bpf_attr_size)",
            ]) {
                code.withUnsafeBytes { instructions in
                    log.withUnsafeMutableBufferPointer { buffer in
                        boxlab_bpf_prog_load(cgroupDeviceType, instructions.baseAddress, UInt32(filter.instructions.count), license, name, buffer.baseAddress, UInt32(buffer.count))
                    }
                }
            }
            return BPFProgram(descriptor: FileDescriptor(rawValue: descriptor))
        } catch {
            let verifier = log.withUnsafeBufferPointer { String(cString: $0.baseAddress!) }
            throw KernelError(call: error.call, arguments: error.arguments, errno: error.errno,
                              detail: verifier.isEmpty ? nil : "the verifier said: " + verifier.split(separator: "\n").suffix(3).joined(separator: "; "))
        }
    }

    /// Attaches the device program to the cgroup2 directory open as `group`: from then on
    /// every process in it (and below) opens or makes only the devices it allows.
    ///
    /// The corresponding C function is `bpf` (BPF_PROG_ATTACH).
    func attachDeviceFilter(to group: FileDescriptor) throws(KernelError) {
        try syscall("bpf", [
            "BPF_PROG_ATTACH", "{target_fd=\(group), attach_bpf_fd=\(descriptor), attach_type=BPF_CGROUP_DEVICE, attach_flags=BPF_F_ALLOW_MULTI}",
            "\(boxlab_bpf_attr_size)",
        ]) {
            boxlab_bpf_prog_attach(group.rawValue, descriptor.rawValue, Self.cgroupDeviceAttach, Self.allowMulti)
        }
    }

    /// The corresponding C function is `close`.
    public consuming func close() throws(KernelError) {
        try descriptor.close()
    }
}
