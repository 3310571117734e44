import ArgumentParser
import FoundationEssentials
import Kernel
import Lab
import Synchronization

struct Record: ParsableCommand {
    static let configuration = CommandConfiguration(
        abstract: "Run a lab in batch and write its golden transcript (volatile values normalised)."
    )

    @Argument(help: "The lab.") var lab: String
    @Option(help: "Where to write LAB.txt (default: the transcripts/ folder beside labs/).") var output: String?
    @Flag(help: "Print the normalised transcript instead of writing it.") var stdout = false

    func run() throws {
        try requireRoot()
        let lab = try loadLab(self.lab)
        let folder = output ?? URL(fileURLWithPath: LabCatalog.locate().directory).deletingLastPathComponent().appendingPathComponent("transcripts").path
        if !stdout { try FileManager.default.createDirectory(atPath: folder, withIntermediateDirectories: true) }
        // The sandbox sees the host read-only: the folder the transcript goes to is kept writable.
        let isolation = try enter(.newPrivate, writable: stdout ? [] : [folder])
        let buffer = TextBuffer()
        let batch = try Batch(lab: lab, isolation: isolation, trust: false, console: Console(colors: false, sink: { buffer.append($0) }))
        let passed = batch.perform(steps: nil).passed
        let transcript = TranscriptNormalizer.normalize(buffer.text)
        if stdout {
            print(transcript, terminator: "")
        } else {
            let path = folder + "/\(lab.transcriptName).txt"
            do throws(KernelError) { try FileSystem.writeFile(path, Array(transcript.utf8)) } catch {
                throw failure("cannot write \(path): \(error.errno)", code: 1)
            }
            print("wrote \(folder)/\(lab.transcriptName).txt")
        }
        if !passed { throw failure("\(lab.id) did not pass; the transcript shows where", code: 1) }
    }
}

/// Collects console output from any thread.
final class TextBuffer: Sendable {
    private let storage = Mutex("")
    func append(_ text: String) { storage.withLock { $0 += text } }
    var text: String { storage.withLock { $0 } }
}
