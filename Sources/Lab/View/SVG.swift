/// A piece of SVG markup: an element with its attributes, and children or text. Rendered
/// with every name and path escaped, so a link called `a<b&"c"` is drawn, not obeyed.
struct SVG: Sendable {
    let name: String
    var attributes: [(name: String, value: String)]
    var children: [SVG]
    var text: String?

    init(_ name: String, _ attributes: [(String, String)] = [], text: String? = nil, children: [SVG] = []) {
        self.name = name
        self.attributes = attributes.map { (name: $0.0, value: $0.1) }
        self.children = children
        self.text = text
    }

    /// A group the tests and the page find by `data-id` and `data-kind`; `class="changed"`
    /// when the last step made or changed it.
    static func group(id: String, kind: String, changed: Set<String>, attributes: [(String, String)] = [], _ children: [SVG]) -> SVG {
        SVG("g", [("data-id", id), ("data-kind", kind)] + attributes + (changed.contains(id) ? [("class", "changed")] : []), children: children)
    }

    static func rect(_ frame: Frame, class name: String, radius: Double = 0) -> SVG {
        SVG("rect", [("x", number(frame.x)), ("y", number(frame.y)), ("width", number(frame.width)), ("height", number(frame.height))]
            + (radius > 0 ? [("rx", number(radius))] : []) + [("class", name)])
    }

    /// Text whose baseline is at `y`.
    static func text(_ string: String, x: Double, y: Double, class name: String? = nil) -> SVG {
        SVG("text", [("x", number(x)), ("y", number(y))] + (name.map { [("class", $0)] } ?? []), text: string)
    }

    static func polyline(_ points: [(x: Double, y: Double)], class name: String) -> SVG {
        SVG("polyline", [("points", points.map { number($0.x) + "," + number($0.y) }.joined(separator: " ")), ("class", name)])
    }

    /// A tooltip, for what does not fit on the picture.
    static func title(_ string: String) -> SVG { SVG("title", text: string) }

    /// The markup, one element a line, children indented.
    func render(indent: Int = 0) -> String {
        let pad = String(repeating: " ", count: indent)
        let open = pad + "<" + name + attributes.map { " \($0.name)=\"\(SVG.escape($0.value, quotes: true))\"" }.joined()
        if let text { return open + ">" + SVG.escape(text, quotes: false) + "</\(name)>" }
        if children.isEmpty { return open + "/>" }
        return ([open + ">"] + children.map { $0.render(indent: indent + 1) } + [pad + "</\(name)>"]).joined(separator: "\n")
    }

    /// `&` and `<` everywhere; in an attribute `"` and `>` too. A `>` in text stays, so the
    /// stylesheet's child selectors read as written.
    static func escape(_ string: String, quotes: Bool) -> String {
        var out = ""
        for character in string {
            switch character {
            case "&": out += "&amp;"
            case "<": out += "&lt;"
            case ">" where quotes: out += "&gt;"
            case "\"" where quotes: out += "&quot;"
            default: out.append(character)
            }
        }
        return out
    }

    /// A coordinate to a tenth, without a trailing `.0`, so the same picture is the same text.
    static func number(_ value: Double) -> String {
        let rounded = (value * 10).rounded() / 10
        return rounded == rounded.rounded() ? String(Int(rounded)) : String(rounded)
    }
}

/// A rectangle on the picture.
struct Frame: Sendable, Equatable {
    var x: Double
    var y: Double
    var width: Double
    var height: Double

    var right: Double { x + width }
    var bottom: Double { y + height }
    var midX: Double { x + width / 2 }
    var midY: Double { y + height / 2 }
}
