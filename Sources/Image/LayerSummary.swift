/// What unpacking a layer made, for the learner: how many members, and which of them were
/// turned into overlayfs's markers (paths relative to the layer's root).
public struct LayerSummary: Sendable, Equatable {
    public var members = 0
    /// Files deleted from the layers below: now 0,0 character devices.
    public var whiteouts: [String] = []
    /// Directories that hide the layers below: now `trusted.overlay.opaque=y`.
    public var opaqueDirectories: [String] = []
    /// Character and block devices, each kept as an empty file of mode 0 (see LayerUnpacker).
    public var devices: [String] = []
}
