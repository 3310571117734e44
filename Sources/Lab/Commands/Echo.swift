import FoundationEssentials

extension Command {
    static let echo = Command(
        "echo", usage: "echo [-n] [-e] [TEXT...]", summary: "write text (use > FILE to write a file)",
        options: [.flag("n"), .flag("e")]
    ) { call in
        let text = call.operands.joined(separator: " ")
        call.write((call.options.has("e") ? unescape(text) : text) + (call.options.has("n") ? "" : "\n"))
    }

    static let printf = Command(
        "printf", usage: "printf FORMAT [ARGUMENT...]", summary: "write formatted text (%s, %d, %c, %%, widths, \\n)"
    ) { call in
        try call.requireOperands(1...Int.max)
        do throws(PrintfError) {
            call.write(bytes: try PrintfFormat.render(call.operands[0], arguments: Array(call.operands.dropFirst())))
        } catch {
            throw call.failure(error.message, cause: error.cause)
        }
    }
}

/// The backslash escapes of echo -e.
func unescape(_ text: String) -> String {
    var out = ""
    var escaping = false
    for char in text {
        if escaping {
            switch char {
            case "n": out.append("\n")
            case "t": out.append("\t")
            case "\\": out.append("\\")
            case "0": out.append("\0")
            default: out.append("\\"); out.append(char)
            }
            escaping = false
        } else if char == "\\" {
            escaping = true
        } else {
            out.append(char)
        }
    }
    return escaping ? out + "\\" : out
}
