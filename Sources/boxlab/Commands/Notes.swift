import ArgumentParser
import Glibc
import Kernel
import Lab

struct Notes: ParsableCommand {
    static let configuration = CommandConfiguration(
        abstract: "Follow the presenting REPL on a second terminal: each step's number, title and presenter notes.",
        discussion: "Prints the step the REPL of the session running on this machine shows, and again whenever it shows another, until the session ends or Ctrl-C."
    )

    @Flag(help: "Print the current step's notes and exit.") var once = false

    /// How often the session record is looked at: soon enough for a presenter's eye, and
    /// a small file read and /proc/locks five times a second cost nothing worth watching.
    static let interval: useconds_t = 200_000

    func run() throws {
        try requireRoot()
        let run = RunDirectory.default
        guard var record = SessionRecord.running(run) else {
            throw failure("\(LaunchError.noSession): start one with `boxlab LAB --mode demo` in another terminal", code: 1)
        }
        let console = Console.standard()
        var printed: SessionRecord?
        while true {
            // Nothing is shown while the REPL replays the steps before the one it resumes at.
            if record.shown != nil, record != printed {
                if printed != nil { console.line("") }
                show(record, console)
                if once { return }
                printed = record
            }
            usleep(Notes.interval)
            guard let next = SessionRecord.running(run) else {
                console.line("the session ended", .dim)
                return
            }
            record = next
        }
    }

    private func show(_ record: SessionRecord, _ console: Console) {
        switch record.shown {
        case .step(let number, let count, let title, let notes):
            console.line("\(record.lab) — step \(number)/\(count): \(title)", .heading)
            if notes.isEmpty { console.line("no presenter notes", .dim, indent: 2) }
            for note in notes { console.line(note, .note, indent: 2) }
        case .end:
            console.line("\(record.lab) complete", .heading)
        case nil:
            break
        }
    }
}
