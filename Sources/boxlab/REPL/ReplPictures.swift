import Kernel
import Lab

extension ReplSession {
    static let showUsage = "usage: show net|mounts|cgroups|processes [--svg FILE] [--large] (net: [--dot])"

    /// `show KIND`: the picture of the kernel's state as text, as Graphviz (`--dot`, the
    /// network), or as SVG written to a file (`--svg FILE`, `--large` for a projector).
    func show(_ kind: PictureKind, options: [String]) {
        var file: String?, large = false, dot = false
        var rest = options[...]
        while let option = rest.popFirst() {
            switch option {
            case "--svg" where file == nil && !rest.isEmpty: file = rest.popFirst()
            case "--large": large = true
            case "--dot" where kind == .net: dot = true
            default: return console.line("show: \(option == "--svg" ? "--svg needs one FILE" : "no option '\(option)' here"); \(Self.showUsage)", .failure)
            }
        }
        if dot, file != nil { return console.line("show: --dot and --svg are two forms of the picture: choose one", .failure) }
        let scene = Scene.read(session)
        if let file { return write(kind.svg(scene, large: large), to: file) }
        console.line(dot ? scene.network.dot() : scene.text(kind))
    }

    /// Writes a picture where the learner asked. In the sandbox that is where the session's
    /// commands may write (`PathPolicy`, the path relative to the current directory); with
    /// --host, the learner is root on their own machine and any path goes.
    private func write(_ svg: String, to file: String) {
        let workspace = session.workspace
        do {
            let path = workbench.isolation == .host ? workspace.resolve(file) : try workspace.confine(file, for: .write)
            try Trace.untraced { () throws(KernelError) in try FileSystem.writeFile(path, Array(svg.utf8)) }
            console.line("wrote " + workspace.display(path))
        } catch let refusal as PathRefusal {
            console.line("show: \(refusal)", .failure)
        } catch let error as KernelError {
            console.line("show: cannot write '\(file)': \(error.errno)", .failure)
        } catch {
            console.line("show: cannot write '\(file)': \(error)", .failure)
        }
    }
}
