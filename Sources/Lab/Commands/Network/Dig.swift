import Glibc
import Kernel

extension Command {
    static let dig = Command(
        "dig", usage: "dig [@SERVER] NAME [A|AAAA|TYPE]",
        summary: "one DNS query over UDP from the current network namespace (server 127.0.0.11, Docker's embedded resolver)",
        rawArguments: true
    ) { call in
        let query = try DigQuery(call.operands, call)
        let outcome: DNSClient.Outcome
        do {
            outcome = try NetworkPlaces().perform(in: call.namespace) { () throws(KernelError) in
                try DNSClient.ask(query.name, type: query.type, server: query.server, timeout: 1)
            }
        } catch {
            throw call.failure("asking \(query.server)#53", error, cause: (error as? KernelError)?.errno == Errno(ENETUNREACH)
                ? "no route to \(query.server) in \(call.namespace): add an address in its subnet or a default route" : nil)
        }
        call.write("; <<>> BoxLab dig <<>> @\(query.server) \(query.name) \(query.type)\n")
        guard case .answer(let answer) = outcome else {
            call.write(";; communications error to \(query.server)#53: timed out\n")
            throw call.failure("no answer from \(query.server)#53 within 1 s",
                               cause: "nothing listens there in \(call.namespace): a container on Docker's default bridge has no embedded resolver")
        }
        call.write(DigQuery.render(answer, server: query.server))
    }
}

/// dig's operands in any order: `@SERVER`, a record type, and the name.
struct DigQuery {
    var server = IPAddress("127.0.0.11")!
    var name: DNSName
    var type = DNSType.a

    init(_ operands: [String], _ call: Invocation) throws {
        var name: DNSName?
        for operand in operands {
            if operand.hasPrefix("@") {
                // The same addresses ping takes: IPv4, no names (there is nobody to ask for them).
                guard let address = IPAddress(String(operand.dropFirst())), address.family == .inet else {
                    throw call.failure("\(operand): not an IPv4 address", cause: "BoxLab's dig asks a server by its address, @127.0.0.11")
                }
                server = address
            } else if operand.hasPrefix("+") || (operand.hasPrefix("-") && operand.count > 1) {
                throw call.failure("\(operand): BoxLab's dig takes no options", cause: "usage: \(call.command.usage)")
            } else if name != nil, let type = DNSType(operand) {
                self.type = type
            } else if name == nil {
                guard let parsed = DNSName(operand), !parsed.labels.isEmpty else {
                    throw call.failure("\(operand): not a domain name", cause: "labels of 1 to 63 characters separated by dots, 255 at most")
                }
                name = parsed
            } else {
                throw call.failure("too many operands", cause: "usage: \(call.command.usage)")
            }
        }
        guard let name else { throw call.failure("missing operand", cause: "usage: \(call.command.usage)") }
        self.name = name
    }

    /// The answer as dig prints it: header, QUESTION and ANSWER sections, the server.
    static func render(_ answer: DNSMessage, server: IPAddress) -> String {
        var text = """
            ;; ->>HEADER<<- opcode: QUERY, status: \(answer.header.responseCode), id: \(answer.header.id)
            ;; flags: \(answer.header.flagWords); QUERY: \(answer.questions.count), ANSWER: \(answer.answers.count), \
            AUTHORITY: \(answer.authorities.count), ADDITIONAL: \(answer.additionals.count)

            ;; QUESTION SECTION:

            """
        text += answer.questions.map { "\($0)\n" }.joined()
        if !answer.answers.isEmpty {
            text += "\n;; ANSWER SECTION:\n" + answer.answers.map { "\($0)\n" }.joined()
        }
        return text + "\n;; SERVER: \(server)#53(\(server)) (UDP)\n"
    }
}
