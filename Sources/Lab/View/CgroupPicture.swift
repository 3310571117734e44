import Kernel

/// The lab's cgroups as an indented tree, a row each: its memory and process limits as bars
/// filled to what is in use (red at the limit), its CPU quota, whether it is frozen, and the
/// processes in it.
public enum CgroupPicture {
    public static func svg(_ scene: Scene, changed: Set<String>, large: Bool) -> String {
        let m = Metrics(large: large)
        let margin = m(16), pad = m(6), gap = m(18), bar = m(100)
        let names = scene.cgroups.map { (Double($0.depth) * m(20), $0.name) }
        let memory = scene.cgroups.map(\.memoryText)
        let pids = scene.cgroups.map(\.processText)
        // Each column as wide as its widest entry.
        let nameRight = margin + (names.map { $0.0 + m.width($0.1) }.max() ?? 0) + gap
        let memoryRight = nameRight + m.width("memory ") + bar + pad + (memory.map(m.width).max() ?? 0) + gap
        let pidsRight = memoryRight + m.width("pids ") + bar + pad + (pids.map(m.width).max() ?? 0) + gap
        var rows: [SVG] = []
        var y = margin, width = m(360)
        for (index, group) in scene.cgroups.enumerated() {
            let baseline = y + pad + m.font
            var parts: [SVG] = [.text(names[index].1, x: margin + names[index].0 + pad, y: baseline, class: "heading")]
            parts += gauge("memory", memory[index], used: group.memoryUsage, limit: group.memoryLimit, x: nameRight, baseline, bar, m)
            parts += gauge("pids", pids[index], used: group.processCount, limit: group.processLimit, x: memoryRight, baseline, bar, m)
            let rest = group.otherText
            parts.append(.text(rest, x: pidsRight, y: baseline))
            let frame = Frame(x: margin + names[index].0, y: y, width: pidsRight + m.width(rest) + pad - margin - names[index].0, height: m.line + 2 * pad)
            rows.append(.group(id: ElementID.cgroup(group.path), kind: "cgroup", changed: changed, [.rect(frame, class: "box frame", radius: m(4))] + parts))
            width = max(width, frame.right + margin)
            y = frame.bottom + m(6)
        }
        if rows.isEmpty {
            rows.append(.text("this lab has no cgroups", x: margin, y: margin + m.font, class: "dim"))
            y += m.line + m(6)
        }
        return m.document(.cgroups, width: width, height: y - m(6) + margin, rows)
    }

    /// A label, a bar filled to `used` of `limit` (the track dashed when there is no limit),
    /// and the numbers.
    private static func gauge(_ label: String, _ text: String, used: UInt64?, limit: CgroupLimit?, x: Double, _ baseline: Double,
                              _ length: Double, _ m: Metrics) -> [SVG] {
        let track = Frame(x: x + m.width(label + " "), y: baseline - m.font * 0.75, width: length, height: m.font * 0.75)
        var parts: [SVG] = [.text(label, x: x, y: baseline, class: "dim")]
        if case .value(let bound) = limit {
            parts.append(.rect(track, class: "track", radius: m(2)))
            let share = bound == 0 ? 1 : min(1, Double(used ?? 0) / Double(bound))
            if share > 0 {
                parts.append(.rect(Frame(x: track.x, y: track.y, width: length * share, height: track.height), class: share >= 1 ? "used full" : "used", radius: m(2)))
            }
        } else {
            parts.append(.rect(track, class: "track unlimited", radius: m(2)))
        }
        parts.append(.text(text, x: track.right + m(6), y: baseline))
        return parts
    }
}
