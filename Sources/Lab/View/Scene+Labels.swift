import Kernel

/// The words the pictures and their text form share: each says a thing once.
extension Scene.Mount {
    /// `<ws>/merged  overlay  from overlay`, `<ws>/shared  ext4  bind of <ws>/data  read-only`.
    var heading: String {
        [point, fstype, kind == "bind" ? "bind of \(root)" : "from \(source)"].joined(separator: "  ") + (readOnly ? "  read-only" : "")
    }
}

extension Scene {
    /// How many of the mounts listed before each one it lies inside (its indentation).
    var mountDepths: [Int] {
        mounts.indices.map { index in Set(mounts[..<index].map(\.point).filter { mounts[index].point.hasPrefix($0 + "/") }).count }
    }

    /// `merged  <ws>/merged  (what processes see)`, `lower 2  <ws>/l2`.
    static func label(ofLayer layer: (id: String, role: String, order: Int, path: String)) -> String {
        let name = layer.role == "lower" ? "lower " + (layer.id.split(separator: ":").last ?? "") : layer.role
        let note = ["merged": "(what processes see)", "upper": "(writes land here)", "work": "(overlayfs's scratch directory)"][layer.role]
        return ([name, layer.path] + (note.map { [$0] } ?? [])).joined(separator: "  ")
    }

    /// For one kind of namespace, a label per namespace: `host` for BoxLab's own, then A, B,
    /// C… in the order the processes (by pid) first enter them.
    func namespaceLabels(_ kind: NamespaceKind) -> [UInt64: String] {
        var labels: [UInt64: String] = [:]
        if let own = host[kind] { labels[own] = "host" }
        var next = 0
        for process in processes {
            guard let inode = process.namespaces[kind], labels[inode] == nil else { continue }
            labels[inode] = next < 26 ? String(UnicodeScalar(UInt8(65 + next))) : "N\(next)"
            next += 1
        }
        return labels
    }
}

extension Scene.Group {
    var name: String { path == "." ? "the lab's cgroup root" : String(path.split(separator: "/").last ?? "") }
    var depth: Int { path == "." ? 0 : path.split(separator: "/").count }

    /// `12.5M / 32M`; `?` for what the machine does not say.
    var memoryText: String { "\(memoryUsage.map(Scene.Group.size) ?? "?") / \(memoryLimit?.size ?? "?")" }
    /// `3 / 5`, `0 / max`.
    var processText: String { "\(processCount.map(String.init) ?? "?") / \(processLimit?.description ?? "?")" }

    /// `cpu 10000µs every 100000µs  frozen  procs 300 301`.
    var otherText: String {
        [cpuLimit.map { $0.quota == .max ? "cpu no limit" : "cpu \($0.quota)µs every \($0.period)µs" },
         frozen == true ? "frozen" : nil,
         processes.isEmpty ? nil : "procs " + processes.map(String.init).joined(separator: " ")]
            .compactMap { $0 }.joined(separator: "  ")
    }

    /// Bytes in a unit a reader takes in at once: `812K`, `12.5M`.
    static func size(_ bytes: UInt64) -> String {
        for (suffix, unit) in [("G", 1_073_741_824.0), ("M", 1_048_576.0), ("K", 1024.0)] where Double(bytes) >= unit {
            let value = (Double(bytes) / unit * 10).rounded() / 10
            return (value == value.rounded() ? String(Int(value)) : String(value)) + suffix
        }
        return "\(bytes)B"
    }
}

extension Scene {
    /// A picture as text for the terminal: the network as `Topology.text` draws it, the
    /// others as indented lines.
    public func text(_ kind: PictureKind) -> String {
        switch kind {
        case .net:
            return network.text()
        case .mounts:
            guard !mounts.isEmpty else { return "nothing is mounted in the workspace" }
            return zip(mounts, zip(mountIDs, mountDepths)).flatMap { mount, place in
                let indent = String(repeating: "  ", count: place.1)
                return [indent + mount.heading] + Scene.layers(of: mount, id: place.0).map { indent + "  " + Scene.label(ofLayer: $0) }
            }.joined(separator: "\n")
        case .cgroups:
            guard !cgroups.isEmpty else { return "this lab has no cgroups" }
            return cgroups.map { group in
                ([String(repeating: "  ", count: group.depth) + group.name, "memory " + group.memoryText, "pids " + group.processText, group.otherText]
                    .filter { !$0.isEmpty }).joined(separator: "  ")
            }.joined(separator: "\n")
        case .processes:
            let labels = Scene.namespaceKinds.map(namespaceLabels)
            var rows = [["pid", "name", "command"] + Scene.namespaceKinds.map(\.rawValue), ["", "BoxLab", "(the session)"] + labels.map { _ in "host" }]
            for process in processes {
                let cells = zip(Scene.namespaceKinds, labels).map { kind, named in process.namespaces[kind].flatMap { named[$0] } ?? "?" }
                rows.append([String(process.pid), process.names.joined(separator: " "), process.command] + cells)
            }
            let widths = rows[0].indices.map { column in rows.map { $0[column].count }.max() ?? 0 }
            let lines = rows.map { row in
                row.enumerated().map { $0.offset == row.count - 1 ? $0.element : $0.element.padding(toWidth: widths[$0.offset]) }.joined(separator: "  ")
            }
            return (lines + (processes.isEmpty ? ["(no process of the session is running)"] : [])).joined(separator: "\n")
        }
    }
}
