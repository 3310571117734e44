import Kernel
import Glibc

/// Reads lab files (labs/NN-name.md): front matter, an introduction, then steps whose
/// fenced `run`/`expect`/`hint`/`sh`/`note` blocks are the machine-readable parts.
/// Everything else is lesson text, kept as Markdown.
public enum LabParser {
    /// Parses the text of a lab file. `file` is used in error locations, and when it ends
    /// in `.md` the lab's id must equal its name without the extension.
    public static func parse(_ text: String, file: String) throws(LabFileError) -> Lab {
        let lines = NumberedLine.split(text)
        let frontMatter = try FrontMatter.parse(lines, file: file)
        let body = try LabBody.parse(lines[frontMatter.bodyStart...], file: file)
        return Lab(
            id: frontMatter.id, title: frontMatter.title, summary: frontMatter.summary,
            requires: frontMatter.requires, minutes: frontMatter.minutes, file: file,
            introduction: body.introduction.text, steps: body.steps
        )
    }

    /// The keys a lab's front matter may set, in the order messages list them.
    public static let frontMatterKeys = FrontMatter.Key.allCases.map(\.rawValue)

    public static func load(path: String) throws(LabFileError) -> Lab {
        let bytes: [UInt8]
        do {
            bytes = try Trace.untraced { () throws(KernelError) in try FileSystem.readFile(path) }
        } catch {
            throw LabFileError(path, 0, "cannot read: \(error.errno.message)")
        }
        guard let text = String(validating: bytes, as: UTF8.self) else {
            throw LabFileError(path, 0, "cannot read: the file is not UTF-8 text")
        }
        return try parse(text, file: path)
    }
}
