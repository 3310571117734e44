import Foundation
import Lab
import Testing

/// The VM's hostile suite counts a lab that BoxLab refuses to load as defended, which is
/// right for an attack on the loader and wrong for every other attack: that one would
/// never reach its step, and the suite would pass without testing it. So the labs are
/// loaded here (parsed only, never run): an attack meant for the loader says so in its
/// prose, and every other one must load and reach a step that acts or checks.
@Suite("Hostile labs")
struct HostileLabLoadTests {
    static let folder = URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent()
        .appendingPathComponent("hostile").path

    static let loaderMarker = "<!-- hostile: refused when loaded -->"

    static func labFiles() throws -> [String] {
        try FileManager.default.contentsOfDirectory(atPath: folder).filter { $0.hasSuffix(".md") }.sorted()
            .map { folder + "/" + $0 }
    }

    @Test("every hostile lab reaches its attack, or says it is an attack on the loader and is refused with file:line")
    func load() throws {
        let files = try Self.labFiles()
        #expect(files.count >= 30)
        for file in files {
            let text = try String(contentsOfFile: file, encoding: .utf8)
            let name = (file as NSString).lastPathComponent
            if text.contains(Self.loaderMarker) {
                do {
                    _ = try LabParser.parse(text, file: "Tests/hostile/" + name)
                    Issue.record("\(name) says it is refused when loaded, but it loads")
                } catch {
                    #expect(error.description.hasPrefix("Tests/hostile/\(name):"), "\(name): \(error.description)")
                }
                continue
            }
            do {
                let lab = try LabParser.parse(text, file: "Tests/hostile/" + name)
                #expect(lab.steps.contains { !$0.actions.isEmpty || !$0.expectations.isEmpty },
                        "\(name) has no step that acts or checks: its attack is never made")
            } catch {
                Issue.record("\(name) is refused when loaded, so the VM never runs its attack: \(error.description)")
            }
        }
    }
}
