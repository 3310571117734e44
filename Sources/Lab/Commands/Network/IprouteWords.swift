import Glibc
import Kernel

/// The words of an iproute2 command line after its object (`ip link` `add veth0 type veth …`,
/// `bridge fdb` `append …`), read one at a time as iproute2 does, with the namespace it acts in.
struct IprouteWords {
    let call: Invocation
    var words: ArraySlice<String>
    let namespace: String

    var isEmpty: Bool { words.isEmpty }
    var places: NetworkPlaces { NetworkPlaces() }

    mutating func next() -> String? { words.popFirst() }

    /// The value after a keyword (`dev eth0`), or a usage error naming the keyword.
    mutating func value(after keyword: String) throws -> String {
        guard let value = words.popFirst() else { throw call.failure("\"\(keyword)\" needs an argument") }
        return value
    }

    func netlink() throws -> RouteNetlink {
        do { return try call.workbench.clients.netlink(namespace) } catch {
            throw call.failure("cannot open network namespace \"\(namespace)\"", error,
                               cause: error.errno == .ENOENT ? "there is no namespace \(namespace): `ip netns list` shows them" : nil)
        }
    }

    /// A kernel refusal as iproute2 reports it: the errno, the kernel's own words when it gave
    /// some, then what usually fixes it (the network's causes here, the others the command's).
    func failure(_ what: String, _ error: any Error, cause extra: String? = nil) -> CommandError {
        guard let error = error as? KernelError else { return call.failure(what, error) }
        let known: String? = switch error.errno {
        case .ENODEV: "no such device\(namespace == NetworkPlaces.host ? "" : " in \(namespace)"): `ip\(namespace == NetworkPlaces.host ? "" : " -n \(namespace)") link` lists the links"
        case .ENOENT, .ESRCH: "there is no such object\(namespace == NetworkPlaces.host ? "" : " in \(namespace)")"
        case .EINVAL: error.detail == nil ? "the kernel refused the arguments" : nil
        case Errno(ENETUNREACH): "no route to the gateway: add the address that covers it first"
        default: likelyCause(of: error)
        }
        let cause = [error.detail, extra ?? known].compactMap { $0 }.joined(separator: "; ")
        return call.failure(what, error, cause: cause.isEmpty ? nil : cause)
    }

    func unexpected(_ word: String, expected: String) -> CommandError {
        call.failure("unexpected \"\(word)\"", cause: "expected \(expected)")
    }
}
