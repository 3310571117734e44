/// The pictures BoxLab draws of a `Scene`, as standalone SVG (no script; the styling is in
/// the file), named as `show` names them.
public enum PictureKind: String, CaseIterable, Sendable {
    case net, mounts, cgroups, processes

    public var title: String {
        switch self {
        case .net: "Network: namespaces, links and the cables between them"
        case .mounts: "The lab's mounts: in the workspace, and network namespaces' in /run/netns"
        case .cgroups: "The lab's cgroups: limits and usage"
        case .processes: "The session's processes and their namespaces"
        }
    }

    /// The picture of `scene`; what is in `changed` (ids from `Scene.changes(from:)`) is
    /// highlighted. `large`: fonts and layout for a projector (14px → 22px).
    public func svg(_ scene: Scene, changed: Set<String> = [], large: Bool = false) -> String {
        switch self {
        case .net: NetworkPicture.svg(scene, changed: changed, large: large)
        case .mounts: MountPicture.svg(scene, changed: changed, large: large)
        case .cgroups: CgroupPicture.svg(scene, changed: changed, large: large)
        case .processes: ProcessPicture.svg(scene, changed: changed, large: large)
        }
    }
}

/// Sizes for one picture: every length is given at the normal 14px font and scaled with it,
/// so a large picture is the same picture, bigger. Text is monospace, so its width is known.
struct Metrics: Sendable {
    let font: Double

    init(large: Bool) { font = large ? 22 : 14 }

    func callAsFunction(_ length: Double) -> Double { length * font / 14 }

    /// From one baseline to the next.
    var line: Double { (font * 1.4).rounded() }

    func width(_ text: String) -> Double { Double(text.count) * font * 0.6 }

    /// The `<svg>` element around `body`, `size` big (viewBox the same), with the title and stylesheet.
    func document(_ kind: PictureKind, width: Double, height: Double, _ body: [SVG]) -> String {
        let (w, h) = (SVG.number(width.rounded(.up)), SVG.number(height.rounded(.up)))
        return SVG("svg", [("xmlns", "http://www.w3.org/2000/svg"), ("width", w), ("height", h), ("viewBox", "0 0 \(w) \(h)"),
                           ("data-picture", kind.rawValue)],
                   children: [SVG.title(kind.title), SVG("style", text: stylesheet)] + body).render() + "\n"
    }

    /// One stylesheet for every picture. `frame` is the shape a changed element's highlight goes on.
    private var stylesheet: String {
        let stroke = SVG.number(self(1.5)), thick = SVG.number(self(3)), highlight = SVG.number(self(4))
        let palette = ["#cfe3f7", "#f9dcc4", "#d5ecd4", "#eadcf3", "#f6e7a8", "#f4cdd4", "#cdeeed", "#e2e2e2"]
        return """
            text { font-family: "DejaVu Sans Mono", Menlo, monospace; font-size: \(SVG.number(font))px; fill: #1d2733; }
            text.heading { font-weight: bold; }
            text.dim { fill: #5b6776; }
            .box { fill: #f5f7fa; stroke: #7d8a99; stroke-width: \(stroke); }
            .box.host { fill: #eef4ea; }
            .link { fill: #ffffff; stroke: #4a6fa5; stroke-width: \(stroke); }
            .link.down { stroke-dasharray: \(thick) \(thick); fill: #f4f4f4; }
            .cable { stroke: #2b5a9b; stroke-width: \(thick); fill: none; }
            .port { stroke: #7d8a99; stroke-width: \(stroke); fill: none; }
            .parent { stroke: #8a5fb0; stroke-width: \(stroke); stroke-dasharray: \(stroke) \(thick); fill: none; }
            .mount { fill: #ffffff; stroke: #7d8a99; stroke-width: \(stroke); }
            .merged { fill: #e3eefb; stroke: #4a6fa5; stroke-width: \(stroke); }
            .upper { fill: #fdf1da; stroke: #c08a2b; stroke-width: \(stroke); }
            .lower { fill: #eceff3; stroke: #7d8a99; stroke-width: \(stroke); }
            .work { fill: #ffffff; stroke: #9aa5b1; stroke-width: \(stroke); stroke-dasharray: \(thick) \(thick); }
            .track { fill: #eceff3; stroke: #9aa5b1; stroke-width: \(stroke); }
            .track.unlimited { stroke-dasharray: \(thick) \(thick); }
            .used { fill: #4a90d9; }
            .used.full { fill: #d9534f; }
            .cell { stroke: #9aa5b1; stroke-width: \(stroke); }
            .cell.host { fill: #ffffff; }
            \(palette.enumerated().map { ".cell.c\($0.offset) { fill: \($0.element); }" }.joined(separator: "\n"))
            .changed > .frame, .changed > polyline { stroke: #ff8c00; stroke-width: \(highlight); }
            """
    }
}
