import Lab

/// What the worker tells the page, one JSON object per line on the way to the browser.
/// `kind` says which fields are set: `lab` (the lab and its steps), `step` (the step now
/// the learner's), `report` (a step, line or check that ended, with what the console showed
/// and, while a browser watches, the pictures), `scene` (the kernel changed between steps:
/// new pictures), `mode`, `end`.
struct ViewMessage: Codable, Sendable {
    var kind: String
    /// Reports and scenes are numbered; the page acknowledges each once drawn.
    var seq: Int?
    /// CLOCK_MONOTONIC nanoseconds when the step ended: the update's latency is measured from it.
    var at: UInt64?
    var lab: LabInfo?
    var step: StepInfo?
    var report: ReportInfo?
    var pictures: [ViewPicture]?
    var mode: String?
    var large: Bool?
    /// A scene's occasion: the page just opened, or the kernel changed between steps.
    var label: String?

    struct LabInfo: Codable, Sendable {
        var id: String
        var title: String
        var steps: [StepInfo]
    }

    struct StepInfo: Codable, Sendable {
        var number: Int
        var title: String
        var prose: String?
        var notes: [String]?
    }

    struct ReportInfo: Codable, Sendable {
        /// `step 3`, `$ ip link add …` or `check`.
        var label: String
        /// The step the learner was on.
        var step: Int
        var passed: Bool?
        var lines: [Line]
    }

    struct Line: Codable, Sendable {
        var style: String
        var text: String
    }
}

/// One picture of the kernel's state, as drawn by BoxLab.
struct ViewPicture: Codable, Sendable, Equatable {
    var kind: String
    var title: String
    var svg: String
}
