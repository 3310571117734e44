/// One device a cgroup lets its processes use: a type, a major and a minor number (nil: any),
/// and the access allowed (read, write, mknod), as a line of v1's devices.allow says it
/// (`c 1:3 rwm`) and as cgroup v2's device program tests it (`DeviceFilter`).
public struct DeviceRule: Sendable, Equatable {
    public enum Kind: String, Sendable {
        case all = "a", character = "c", block = "b"

        /// BPF_DEVCG_DEV_BLOCK, BPF_DEVCG_DEV_CHAR; nil matches both.
        var bpfType: Int32? {
            switch self {
            case .all: nil
            case .block: 1
            case .character: 2
            }
        }
    }

    /// BPF_DEVCG_ACC_MKNOD, _READ and _WRITE, the bits the device program sees.
    public struct Access: OptionSet, Sendable, Hashable {
        public let rawValue: UInt32
        public init(rawValue: UInt32) { self.rawValue = rawValue }
        public static let mknod = Access(rawValue: 1)
        public static let read = Access(rawValue: 2)
        public static let write = Access(rawValue: 4)
        public static let all: Access = [.read, .write, .mknod]

        /// `rwm`, in that order.
        var letters: String { (contains(.read) ? "r" : "") + (contains(.write) ? "w" : "") + (contains(.mknod) ? "m" : "") }
    }

    public var kind: Kind
    public var major: UInt32?
    public var minor: UInt32?
    public var access: Access

    public init(_ kind: Kind, _ major: UInt32?, _ minor: UInt32?, _ access: Access) {
        self.kind = kind
        self.major = major
        self.minor = minor
        self.access = access
    }

    /// The line devices.allow takes: `c 136:* rwm`.
    public var line: String {
        "\(kind.rawValue) \(major.map(String.init) ?? "*"):\(minor.map(String.init) ?? "*") \(access.letters)"
    }

    /// What Docker lets a container use (runc's AllowedDevices as Docker passes them): any
    /// node may be made (mknod), but only these opened: null, zero, full, random, urandom,
    /// tty, the pseudo-terminals of its own devpts and their ptmx.
    public static let containerDefaults: [DeviceRule] = [
        DeviceRule(.character, nil, nil, .mknod), DeviceRule(.block, nil, nil, .mknod),
        DeviceRule(.character, 1, 3, .all), DeviceRule(.character, 1, 5, .all), DeviceRule(.character, 1, 7, .all),
        DeviceRule(.character, 1, 8, .all), DeviceRule(.character, 1, 9, .all), DeviceRule(.character, 5, 0, .all),
        DeviceRule(.character, 136, nil, .all), DeviceRule(.character, 5, 2, .all),
    ]
}
