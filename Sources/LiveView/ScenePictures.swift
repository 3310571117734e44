import Lab

/// The pictures the page shows of a scene, in `show`'s order.
enum ScenePictures {
    static func draw(_ scene: Scene, changed: Set<String>, large: Bool) -> [ViewPicture] {
        PictureKind.allCases.map { kind in
            ViewPicture(kind: kind.rawValue, title: kind.title, svg: kind.svg(scene, changed: changed, large: large))
        }
    }
}
