#if canImport(Glibc)
import Glibc
#endif

/// Where the freezer has got to with a group: freezing takes a moment, until every task
/// has stopped.
public enum FreezerState: String, Sendable, Hashable {
    case thawed, freezing, frozen
}

extension Cgroup {
    /// v2 writes 1 to cgroup.freeze; v1 writes FROZEN to freezer.state. Waits up to a second
    /// for every task to stop. Returns the file written.
    @discardableResult
    public func freeze() throws -> String {
        let file = try setFrozen(true)
        for _ in 0..<100 where try freezerState().value != .frozen { usleep(10_000) }
        return file
    }

    /// v2 writes 0 to cgroup.freeze; v1 writes THAWED to freezer.state.
    @discardableResult
    public func thaw() throws -> String {
        try setFrozen(false)
    }

    private func setFrozen(_ frozen: Bool) throws -> String {
        let place = try place(.freezer)
        let file = place.directory + (place.version == .v2 ? "/cgroup.freeze" : "/freezer.state")
        try Self.write(file, place.version == .v2 ? (frozen ? "1" : "0") : (frozen ? "FROZEN" : "THAWED"))
        return file
    }

    /// v2: cgroup.events `frozen 1` once every task stopped (cgroup.freeze says what was asked);
    /// v1: freezer.state.
    public func freezerState() throws -> CgroupReading<FreezerState> {
        let place = try place(.freezer)
        switch place.version {
        case .v2:
            let events = place.directory + "/cgroup.events"
            let text = try Self.read(events)
            if Self.keyed(text, "frozen") == 1 { return CgroupReading(value: .frozen, files: [events], text: "frozen 1") }
            let asked = try Self.read(place.directory + "/cgroup.freeze") == "1"
            return CgroupReading(value: asked ? .freezing : .thawed, files: [events], text: "frozen 0")
        case .v1:
            let file = place.directory + "/freezer.state"
            let text = try Self.read(file)
            return CgroupReading(value: FreezerState(rawValue: text.lowercased()) ?? .thawed, files: [file], text: text)
        }
    }
}
