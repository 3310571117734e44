import Kernel

/// The session's processes as rows with a column per kind of namespace: a cell says `host`
/// when the process shares BoxLab's own namespace, otherwise a letter with a colour, the same
/// for every process in that namespace.
public enum ProcessPicture {
    public static func svg(_ scene: Scene, changed: Set<String>, large: Bool) -> String {
        let m = Metrics(large: large)
        let margin = m(16), pad = m(8), gap = m(16)
        let labels = Dictionary(uniqueKeysWithValues: Scene.namespaceKinds.map { kind in (kind, scene.namespaceLabels(kind)) })
        let rows: [Row] = [Row(pid: "", names: "BoxLab", command: "(the session)", namespaces: scene.host, id: nil)]
            + scene.processes.map { Row(pid: String($0.pid), names: $0.names.joined(separator: " "), command: $0.command, namespaces: $0.namespaces, id: ElementID.process($0.pid)) }
        let header = ["pid", "name", "command"]
        let texts = rows.map { [$0.pid, $0.names, $0.command] }
        // The three text columns, then the namespace cells, each as wide as its widest entry.
        var columns: [Double] = []
        var x = margin + pad
        for column in 0..<3 {
            columns.append(x)
            x += max(m.width(header[column]), texts.map { m.width($0[column]) }.max() ?? 0) + gap
        }
        let cell = max(Scene.namespaceKinds.map { m.width($0.rawValue) }.max() ?? 0, labels.values.flatMap(\.values).map(m.width).max() ?? 0) + 2 * pad
        let cellsLeft = x, rowHeight = m.line + pad
        let width = cellsLeft + Double(Scene.namespaceKinds.count) * (cell + m(4)) + margin
        var body: [SVG] = header.enumerated().map { SVG.text($0.element, x: columns[$0.offset], y: margin + m.font, class: "heading") }
        body += Scene.namespaceKinds.enumerated().map { index, kind in
            SVG.text(kind.rawValue, x: cellsLeft + Double(index) * (cell + m(4)) + pad, y: margin + m.font, class: "heading")
        }
        var y = margin + m.line + m(6)
        for (number, row) in rows.enumerated() {
            let frame = Frame(x: margin, y: y, width: width - 2 * margin, height: rowHeight)
            var parts: [SVG] = [.rect(frame, class: "box frame", radius: m(4))]
            for (column, text) in texts[number].enumerated() {
                parts.append(.text(text, x: columns[column], y: y + pad / 2 + m.font, class: column == 0 ? nil : column == 1 ? "heading" : "dim"))
            }
            for (index, kind) in Scene.namespaceKinds.enumerated() {
                let inode = row.namespaces[kind]
                let label = inode.map { labels[kind]?[$0] ?? "?" } ?? "?"
                let place = Frame(x: cellsLeft + Double(index) * (cell + m(4)), y: y + m(3), width: cell, height: rowHeight - m(6))
                let colour = label == "host" ? "host" : "c\(Int(label.unicodeScalars.first.map { $0.value } ?? 65) % 8)"
                parts.append(SVG("g", [("data-ns", kind.rawValue), ("data-label", label)], children: [
                    SVG.title(inode.map { "\(kind.rawValue):[\($0)]" } ?? "\(kind.rawValue): not readable"),
                    .rect(place, class: "cell " + colour, radius: m(3)),
                    .text(label, x: place.x + pad, y: place.y + m(1) + m.font),
                ]))
            }
            body.append(row.id.map { SVG.group(id: $0, kind: "process", changed: changed, parts) }
                ?? SVG("g", [("data-id", "proc:boxlab"), ("data-kind", "boxlab")], children: parts))
            y += rowHeight + m(4)
        }
        if scene.processes.isEmpty {
            body.append(.text("no process of the session is running", x: margin, y: y + m.font, class: "dim"))
            y += m.line
        }
        return m.document(.processes, width: width, height: y + margin, body)
    }

    /// A row: BoxLab's own first (no id: it is no process of the session), then each process.
    private struct Row {
        var pid, names, command: String
        var namespaces: [NamespaceKind: UInt64]
        var id: String?
    }
}
