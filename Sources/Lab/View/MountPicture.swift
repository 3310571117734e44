/// The workspace's mounts as a list indented by nesting (a mount inside another's tree is
/// drawn below it, further right); an overlay as its layers stacked the way overlayfs stacks
/// them: merged on top, then upper, then the lower layers from the top one down, and work.
public enum MountPicture {
    public static func svg(_ scene: Scene, changed: Set<String>, large: Bool) -> String {
        let m = Metrics(large: large)
        let margin = m(16), pad = m(8)
        var y = margin, width = m(360), bottom = margin + m.line
        var rows: [SVG] = []
        for (mount, (id, depth)) in zip(scene.mounts, zip(scene.mountIDs, scene.mountDepths)) {
            let x = margin + Double(depth) * m(24)
            let heading = mount.heading
            let layers = Scene.layers(of: mount, id: id).map { ($0, Scene.label(ofLayer: $0)) }
            let inner = max(m.width(heading), layers.map { m.width($0.1) + 2 * pad }.max() ?? 0) + 2 * pad
            var parts: [SVG] = [.text(heading, x: x + pad, y: y + pad + m.font, class: layers.isEmpty ? nil : "heading")]
            var below = y + pad + m.line
            for (layer, label) in layers {
                let frame = Frame(x: x + pad, y: below + m(2), width: inner - 2 * pad, height: m.line + m(6))
                parts.append(.group(id: layer.id, kind: "layer", changed: changed, attributes: [("data-role", layer.role), ("data-order", String(layer.order))], [
                    .rect(frame, class: layer.role + " frame", radius: m(3)),
                    .text(label, x: frame.x + pad, y: frame.y + m(3) + m.font),
                ]))
                below = frame.bottom
            }
            let frame = Frame(x: x, y: y, width: inner, height: below - y + (layers.isEmpty ? m(2) : pad))
            rows.append(.group(id: id, kind: mount.kind, changed: changed, [.rect(frame, class: "mount frame", radius: m(6))] + parts))
            width = max(width, frame.right + margin)
            bottom = frame.bottom
            y = bottom + m(10)
        }
        if rows.isEmpty { rows.append(.text("nothing is mounted in the workspace", x: margin, y: margin + m.font, class: "dim")) }
        return m.document(.mounts, width: width, height: bottom + margin, rows)
    }
}
