import Kernel

extension NamespaceKind {
    /// util-linux's option for the kind: `-m/--mount`, `-u/--uts`, …
    var optionName: String {
        switch self {
        case .mnt: "mount"
        default: rawValue
        }
    }

    var optionLetter: Character {
        switch self {
        case .cgroup: "C"
        case .ipc: "i"
        case .mnt: "m"
        case .net: "n"
        case .pid: "p"
        case .time: "T"
        case .user: "U"
        case .uts: "u"
        }
    }

    static var optionSpecs: [OptionSpec] { allCases.map { .flag($0.optionLetter, $0.optionName) } }

    /// A kind by the names learners use for it: `uts`, `mnt` or `mount`, `net` or `network`.
    init?(word: String) {
        switch word {
        case "mount": self = .mnt
        case "network": self = .net
        default: self.init(rawValue: word)
        }
    }
}
