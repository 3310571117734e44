#if canImport(Glibc)
import Glibc
#endif

/// glibc functions that Swift's Glibc module does not import.
///
/// `<sys/xattr.h>` is not in the module map, `getdents64` needs `_GNU_SOURCE`, and variadic
/// `syscall` cannot be called from Swift at all. Each is looked up once in the C library the
/// process has already loaded, as the C type its manual page gives.
enum UnimportedGlibc {
    static let getxattr: @convention(c) (
        UnsafePointer<CChar>, UnsafePointer<CChar>, UnsafeMutableRawPointer?, Int
    ) -> Int = symbol("getxattr")

    static let listxattr: @convention(c) (
        UnsafePointer<CChar>, UnsafeMutableRawPointer?, Int
    ) -> Int = symbol("listxattr")

    static let setxattr: @convention(c) (
        UnsafePointer<CChar>, UnsafePointer<CChar>, UnsafeRawPointer?, Int, Int32
    ) -> Int32 = symbol("setxattr")

    static let getdents64: @convention(c) (Int32, UnsafeMutableRawPointer?, Int) -> Int = symbol("getdents64")

    /// `syscall(number, path, path)`. Declaring the variadic function with fixed arguments is
    /// sound here: on x86_64 and arm64 Linux both kinds pass integer arguments in the same registers.
    static let syscallWithTwoPaths: @convention(c) (
        Int, UnsafePointer<CChar>, UnsafePointer<CChar>
    ) -> Int = symbol("syscall")

    private static func symbol<Function>(_ name: String) -> Function {
        // A nil handle is RTLD_DEFAULT: search every library already loaded.
        guard let address = dlsym(nil, name) else { fatalError("glibc has no \(name): \(String(cString: dlerror()))") }
        return unsafeBitCast(address, to: Function.self)
    }
}
