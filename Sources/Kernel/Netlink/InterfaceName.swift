/// The longest link name: `IFNAMSIZ` is 16 bytes with the terminating NUL.
let maximumInterfaceNameLength = 15

/// Refuses a link name the kernel would refuse (its `dev_valid_name`), before any request
/// goes out, saying why; `request` is the message it was meant for.
func validateInterfaceName(_ name: String, for request: NetlinkMessageType) throws(KernelError) {
    let problem: String
    if name.isEmpty || name == "." || name == ".." {
        problem = "not a link name"
    } else if name.utf8.count > maximumInterfaceNameLength {
        problem = "\(name.utf8.count) bytes long; a link name has at most \(maximumInterfaceNameLength) (IFNAMSIZ-1)"
    } else if name.contains(where: { $0 == "/" || $0 == ":" || $0.isWhitespace }) {
        problem = "not a link name: it may not hold \"/\", \":\" or white space"
    } else {
        return
    }
    throw KernelError(
        call: request.description, arguments: ["ifname=\(traceQuote(name))", "/* \(problem) */"], errno: .EINVAL,
        detail: "\(traceQuote(name)) is \(problem)"
    )
}
