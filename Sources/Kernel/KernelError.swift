#if canImport(Glibc)
import Glibc
#endif

/// A failed system call: which call, with which arguments, and the errno the kernel returned.
public struct KernelError: Error, Sendable, Equatable, CustomStringConvertible {
    public let call: String
    public let arguments: [String]
    public let errno: Errno
    /// Why, in words, when there are some: the kernel's own (a netlink extended ack) or
    /// BoxLab's, when it refused a request the kernel would refuse before sending it.
    public let detail: String?

    public init(call: String, arguments: [String], errno: Errno, detail: String? = nil) {
        self.call = call
        self.arguments = arguments
        self.errno = errno
        self.detail = detail
    }

    public var description: String {
        "\(call)(\(arguments.joined(separator: ", "))) failed: \(errno)"
    }
}

/// An errno value that prints as the kernel's name and its meaning, `ENOENT (No such file or directory)`.
public struct Errno: Error, Sendable, Hashable, CustomStringConvertible {
    public let rawValue: Int32
    public init(_ rawValue: Int32) { self.rawValue = rawValue }

    /// The calling thread's errno right now.
    public static var current: Errno { Errno(Glibc.errno) }

    /// `EPERM`; nil for a name this table lacks.
    public init?(name: String) {
        guard let number = errnoNames.first(where: { $0.value == name })?.key else { return nil }
        self.rawValue = number
    }

    public var name: String { errnoNames[rawValue] ?? "E\(rawValue)" }
    public var message: String { String(cString: strerror(rawValue)) }
    public var description: String { "\(name) (\(message))" }

    public static let ENOENT = Errno(Glibc.ENOENT)
    public static let EEXIST = Errno(Glibc.EEXIST)
    public static let EINVAL = Errno(Glibc.EINVAL)
    public static let EPERM = Errno(Glibc.EPERM)
    public static let EBUSY = Errno(Glibc.EBUSY)
    public static let ENOTDIR = Errno(Glibc.ENOTDIR)
    public static let EISDIR = Errno(Glibc.EISDIR)
    public static let ENOTEMPTY = Errno(Glibc.ENOTEMPTY)
    public static let ENODATA = Errno(Glibc.ENODATA)
    public static let EINTR = Errno(Glibc.EINTR)
    public static let EXDEV = Errno(Glibc.EXDEV)
    public static let ESRCH = Errno(Glibc.ESRCH)
    public static let EAGAIN = Errno(Glibc.EAGAIN)
    public static let ENODEV = Errno(Glibc.ENODEV)
    public static let EACCES = Errno(Glibc.EACCES)
    public static let ENOSPC = Errno(Glibc.ENOSPC)
    public static let EOPNOTSUPP = Errno(Glibc.EOPNOTSUPP)
    public static let ELOOP = Errno(Glibc.ELOOP)
    public static let ERANGE = Errno(Glibc.ERANGE)
    public static let EAFNOSUPPORT = Errno(Glibc.EAFNOSUPPORT)

}

/// The kernel's names for errno values, for traces and error messages.
private let errnoNames: [Int32: String] = [
    EPERM: "EPERM", ENOENT: "ENOENT", ESRCH: "ESRCH", EINTR: "EINTR", EIO: "EIO", ENXIO: "ENXIO",
    E2BIG: "E2BIG", ENOEXEC: "ENOEXEC", EBADF: "EBADF", ECHILD: "ECHILD", EAGAIN: "EAGAIN",
    ENOMEM: "ENOMEM", EACCES: "EACCES", EFAULT: "EFAULT", ENOTBLK: "ENOTBLK", EBUSY: "EBUSY",
    EEXIST: "EEXIST", EXDEV: "EXDEV", ENODEV: "ENODEV", ENOTDIR: "ENOTDIR", EISDIR: "EISDIR",
    EINVAL: "EINVAL", ENFILE: "ENFILE", EMFILE: "EMFILE", ENOTTY: "ENOTTY", ETXTBSY: "ETXTBSY",
    EFBIG: "EFBIG", ENOSPC: "ENOSPC", ESPIPE: "ESPIPE", EROFS: "EROFS", EMLINK: "EMLINK",
    EPIPE: "EPIPE", EDOM: "EDOM", ERANGE: "ERANGE", EDEADLK: "EDEADLK", ENAMETOOLONG: "ENAMETOOLONG",
    ENOLCK: "ENOLCK", ENOSYS: "ENOSYS", ENOTEMPTY: "ENOTEMPTY", ELOOP: "ELOOP", ENODATA: "ENODATA",
    EOVERFLOW: "EOVERFLOW", EOPNOTSUPP: "EOPNOTSUPP", EADDRINUSE: "EADDRINUSE",
    EADDRNOTAVAIL: "EADDRNOTAVAIL", ENETDOWN: "ENETDOWN", ENETUNREACH: "ENETUNREACH",
    ECONNREFUSED: "ECONNREFUSED", EHOSTUNREACH: "EHOSTUNREACH", ETIMEDOUT: "ETIMEDOUT",
    EALREADY: "EALREADY", EINPROGRESS: "EINPROGRESS", EAFNOSUPPORT: "EAFNOSUPPORT",
    EPROTONOSUPPORT: "EPROTONOSUPPORT", ENOBUFS: "ENOBUFS", EMSGSIZE: "EMSGSIZE",
    EDQUOT: "EDQUOT", ESTALE: "ESTALE",
]
