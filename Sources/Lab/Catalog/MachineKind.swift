import Kernel

extension BlockCondition {
    /// The condition this machine meets: which cgroup version serves the memory controller
    /// (on hybrid machines the controllers are v1, as here; detected, never assumed).
    static var here: BlockCondition? {
        guard let layout = try? CgroupLayout.detect(), let memory = layout.hierarchy(for: .memory) else { return nil }
        return memory.version == .v2 ? .cgroupV2 : .cgroupV1
    }

    /// Where this process runs: in BoxLab's sandbox when its user namespace does not map
    /// the host's root (the kernel's view, so the trusted flavour counts as the host).
    static var place: BlockCondition { UserNamespace.mapsHostRoot ? .host : .sandbox }
}

extension Lab {
    /// Whether the lab's transcript depends on the machine too: some blocks are for one kind
    /// of machine only, or the lab has cgroups of its own, whose files and names (`$memory`,
    /// `$cgroup`) its traces show are the machine's version's.
    public var isMachineSpecific: Bool {
        usesCgroups || steps.contains { $0.blocks.contains { $0.condition?.isMachineKind ?? false } }
    }

    /// Whether some blocks are for one place only (`run sandbox`, `run host`).
    var isPlaceSpecific: Bool {
        steps.contains { $0.blocks.contains { $0.condition.map { !$0.isMachineKind } ?? false } }
    }

    /// The kernel features some steps require (`requires: [ipvlan]`), in the order of
    /// `KernelFeature`: where one is missing, those steps are skipped.
    var requiredFeatures: [KernelFeature] {
        KernelFeature.allCases.filter { feature in steps.contains { $0.requires.contains(feature.rawValue) } }
    }

    /// The golden transcript's name: `09-cgroups.cgroup-v2` on a cgroup v2 machine for a lab
    /// with blocks for one kind of machine; then `.ipvlan` or `.no-ipvlan` for a lab with
    /// steps that require a kernel feature, by whether this kernel has it; `.host-root` after
    /// it for a lab with blocks for one place, recorded where the sandbox is not a boundary
    /// (the trusted flavour, whose root is the host's, takes the host's blocks); else the lab's id.
    public var transcriptName: String { transcriptName(takingHostBlocks: BlockCondition.place == .host) }

    /// The name for a run that takes the host's blocks or the sandbox's (a test asks for the
    /// sandbox it will start, from outside it).
    public func transcriptName(takingHostBlocks: Bool) -> String {
        var name = id
        if isMachineSpecific, let here = BlockCondition.here { name += "." + here.rawValue }
        for feature in requiredFeatures { name += (feature.isPresent ? "." : ".no-") + feature.rawValue }
        if isPlaceSpecific, takingHostBlocks { name += ".host-root" }
        return name
    }

    /// The lab as this machine, and this place on it, takes it: blocks for other machines
    /// dropped, and steps that require what this kernel lacks skipped (all their blocks dropped).
    func forThisMachine() -> Lab {
        guard steps.contains(where: { !$0.requires.isEmpty || $0.blocks.contains { $0.condition != nil } }) else { return self }
        let here = isMachineSpecific ? BlockCondition.here : nil
        let place = BlockCondition.place
        var lab = self
        lab.steps = steps.map { step in
            var kept = step.keeping { $0.isMachineKind ? $0 == here : $0 == place }
            if let missing = step.requires.compactMap(KernelFeature.init(rawValue:)).first(where: { !$0.isPresent }) {
                kept.skipped = missing.absence
                kept.blocks = []
            }
            return kept
        }
        return lab
    }

    /// `requires: [cgroups]`: the lab gets cgroups of its own, named by variables.
    public var usesCgroups: Bool { requires.contains(LabRequirement.cgroups.rawValue) }
}

/// What a lab's `requires:` may name. Any other word is a typo that would be ignored, so a
/// lab naming one does not load.
public enum LabRequirement: String, CaseIterable, Sendable {
    /// BoxLab runs as root.
    case root
    /// The kernel has overlayfs.
    case overlay
    /// The lab gets cgroups of its own, named by variables (`$memory`, `$pids`…).
    case cgroups
}
