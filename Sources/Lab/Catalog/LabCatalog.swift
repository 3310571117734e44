import FoundationEssentials
import Kernel

/// The labs BoxLab knows: the Markdown files of a labs/ directory, each checked when it loads.
public struct LabCatalog: Sendable {
    public let directory: String

    public init(directory: String) { self.directory = directory }

    /// `BOXLAB_LABS`, else the labs/ folder beside the executable's package (walking up from
    /// the binary, so `.build/debug/boxlab` finds the repository's), else the installed ones
    /// (/usr/share/boxlab/labs), else ./labs. Where labs are found is not what makes them
    /// trusted: `InstalledLabs` decides that.
    public static func locate() -> LabCatalog {
        if let explicit = ProcessEnvironment.value("BOXLAB_LABS") { return LabCatalog(directory: explicit) }
        if let checkout = InstalledLabs.checkoutDirectory() { return LabCatalog(directory: checkout) }
        if (try? Trace.untraced({ () throws(KernelError) in try FileSystem.stat(InstalledLabs.systemDirectory) })) != nil {
            return LabCatalog(directory: InstalledLabs.systemDirectory)
        }
        return LabCatalog(directory: FileManager.default.currentDirectoryPath + "/labs")
    }

    /// The lab files, in order of their numbers.
    public func files() -> [String] {
        let names = (try? FileManager.default.contentsOfDirectory(atPath: directory)) ?? []
        return names.filter { $0.hasSuffix(".md") && $0.first?.isNumber == true }.sorted().map { directory + "/" + $0 }
    }

    /// Every lab's id, for completion and `list`.
    public func ids() -> [String] {
        files().map { URL(fileURLWithPath: $0).deletingPathExtension().lastPathComponent }
    }

    /// Finds a lab by id (`02-overlayfs`), number (`02`, `2`), name (`overlayfs`) or file path,
    /// loads and validates it.
    public func load(_ name: String) throws(LabFileError) -> Lab {
        if name.hasSuffix(".md") { return try LabValidator.validated(try LabParser.load(path: name)).forThisMachine() }
        let ids = ids()
        let matches = ids.filter { id in
            id == name || id.split(separator: "-", maxSplits: 1).first.map { Int($0) == Int(name) || String($0) == name } == true
                || id.split(separator: "-", maxSplits: 1).last.map(String.init) == name
        }
        guard let id = matches.first else {
            let listing = ids.isEmpty ? "there are no labs in \(directory)" : "known labs: " + ids.joined(separator: ", ")
            throw LabFileError(location: SourceLocation(file: name, line: 0), message: "no such lab: \(listing)")
        }
        return try LabValidator.validated(try LabParser.load(path: directory + "/" + id + ".md")).forThisMachine()
    }
}
