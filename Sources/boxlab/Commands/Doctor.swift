import ArgumentParser
import FoundationEssentials
import Glibc
import Kernel

struct Doctor: ParsableCommand {
    static let configuration = CommandConfiguration(
        abstract: "Check this machine for what the labs need: root, kernel, overlayfs, cgroups, packages."
    )

    struct Finding {
        var ok: Bool
        var what: String
        var fix: String?
        var required = true
    }

    func run() throws {
        let findings = Doctor.examine()
        for finding in findings {
            let mark = finding.ok ? "✓" : finding.required ? "✗" : "!"
            print("\(mark) \(finding.what)" + (finding.ok ? "" : finding.fix.map { " — \($0)" } ?? ""))
        }
        if findings.contains(where: { !$0.ok && $0.required }) { throw ExitCode(1) }
    }

    static func examine() -> [Finding] {
        var findings: [Finding] = []
        findings.append(Finding(ok: getuid() == 0, what: getuid() == 0 ? "running as root" : "not running as root",
                                fix: "run boxlab with sudo: it makes mounts and namespaces"))
        var name = utsname()
        uname(&name)
        let release = withUnsafeBytes(of: name.release) { String(decoding: $0.prefix { $0 != 0 }, as: UTF8.self) }
        let version = release.split(separator: ".").prefix(2).compactMap { Int($0.prefix { $0.isNumber }) }
        let recent = version.count == 2 && (version[0], version[1]) >= (5, 11)
        findings.append(Finding(ok: recent, what: "kernel \(release)", fix: "the labs need Linux 5.11 or later (overlayfs in user namespaces, cgroup v2 features)"))
        let filesystems = (try? String(contentsOfFile: "/proc/filesystems", encoding: .utf8)) ?? ""
        let overlay = filesystems.contains("\toverlay")
        findings.append(Finding(ok: overlay, what: overlay ? "overlayfs is available" : "overlayfs is not loaded",
                                fix: "modprobe overlay (Debian: part of linux-image)"))
        let kinds = NamespaceKind.allCases.map(\.rawValue)
        let namespaces = kinds.filter { access("/proc/self/ns/\($0)", F_OK) != 0 }
        findings.append(Finding(ok: namespaces.isEmpty, what: namespaces.isEmpty ? "namespaces: \(kinds.joined(separator: " "))" : "missing namespaces: \(namespaces.joined(separator: " "))",
                                fix: "a kernel built with CONFIG_NAMESPACES and the missing ones"))
        findings.append(cgroups())
        for (command, package, why) in [
            ("/bin/sh", "dash", "sh blocks"),
            ("/usr/bin/unshare", "util-linux", "doing exercises by hand (unshare, nsenter, findmnt)"),
            ("/usr/bin/getfattr", "attr", "doing exercises by hand (getfattr, setfattr)"),
            ("/usr/sbin/ip", "iproute2", "the network labs done by hand"),
            ("/usr/bin/strace", "strace", "comparing BoxLab's trace with the real tools'"),
        ] {
            let present = access(command, X_OK) == 0
            findings.append(Finding(ok: present, what: present ? "\(command) (\(package))" : "\(command) is missing, used for \(why)",
                                    fix: "apt-get install \(package)", required: command == "/bin/sh"))
        }
        return findings
    }

    /// The cgroup mode as the labs see it, and which version serves each controller they use.
    static func cgroups() -> Finding {
        guard let layout = try? CgroupLayout.detect() else {
            return Finding(ok: false, what: "cgroups: none mounted", fix: "mount cgroup2 at /sys/fs/cgroup (the cgroups lab needs memory, pids and cpu)", required: false)
        }
        let missing = CgroupController.lab.filter { layout.hierarchy(for: $0) == nil }
        let served = CgroupController.lab.compactMap { controller in layout.hierarchy(for: controller).map { "\(controller.rawValue) \($0.version.rawValue)" } }
        return Finding(ok: missing.isEmpty, what: "cgroups: \(layout.mode.rawValue) (\(served.joined(separator: ", ")))"
                       + (missing.isEmpty ? "" : "; missing \(missing.map(\.rawValue).joined(separator: ", "))"),
                       fix: "a kernel with the missing controllers (the cgroups lab needs them)", required: false)
    }
}
