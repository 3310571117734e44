import ArgumentParser
import Lab

struct List: ParsableCommand {
    static let configuration = CommandConfiguration(abstract: "List the labs and your progress in each.")

    func run() throws {
        let catalog = LabCatalog.locate()
        let progress = Progress.load(from: .default)
        let ids = catalog.ids()
        guard !ids.isEmpty else { throw failure("no labs found in \(catalog.directory): set BOXLAB_LABS to the labs/ folder") }
        for id in ids {
            do {
                let lab = try catalog.load(id)
                let done = progress.labs[id]?.completed.count ?? 0
                let state = done == lab.steps.count ? "done" : done == 0 ? "not started" : "\(done)/\(lab.steps.count) steps"
                print("\(id.padding(toWidth: 20)) \(lab.title.padding(toWidth: 56)) \(state)")
            } catch {
                print("\(id.padding(toWidth: 20)) ✗ \(error)")
            }
        }
    }
}
