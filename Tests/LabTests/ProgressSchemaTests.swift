import Foundation
import Lab
import Testing

import struct Lab.Progress

/// The progress document a course collects keeps the shape docs/progress.schema.json gives.
@Suite("Progress document")
struct ProgressSchemaTests {
    static let schemaPath = URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent()
        .deletingLastPathComponent().appendingPathComponent("docs/progress.schema.json").path

    static func schema() throws -> [String: Any] {
        let data = try Data(contentsOf: URL(fileURLWithPath: schemaPath))
        return try #require(try JSONSerialization.jsonObject(with: data) as? [String: Any])
    }

    static func document(_ progress: Progress) throws -> Any {
        try JSONSerialization.jsonObject(with: progress.encoded())
    }

    /// A learner's file with every field: two labs, hints, failed checks, a passed step.
    static func sample() -> Progress {
        var progress = Progress()
        progress.noteOpened("02-overlayfs", mode: "exercise")
        progress.noteShown("02-overlayfs", step: 1, at: "2026-12-06T10:00:00Z")
        progress.noteHint("02-overlayfs", step: 1)
        progress.noteFailedAttempt("02-overlayfs", step: 1, failed: ["merged is an overlay mount (lowerdir=lower, upperdir=upper, workdir=work)"])
        progress.noteFailedAttempt("02-overlayfs", step: 1, failed: ["merged is an overlay mount (lowerdir=lower, upperdir=upper, workdir=work)", "merged/in_both.txt reads \"I'm from upper\""])
        progress.notePassed("02-overlayfs", step: 1, at: "2026-12-06T10:04:05Z")
        progress.noteShown("02-overlayfs", step: 2, at: "2026-12-06T10:04:06Z")
        progress.noteOpened("04-veth", mode: "guided")
        progress.notePassed("04-veth", step: 1)
        return progress
    }

    @Test("what BoxLab writes follows the schema, with every field filled in")
    func written() throws {
        let errors = try SchemaCheck.errors(in: Self.document(Self.sample()), against: Self.schema())
        #expect(errors.isEmpty, "\(errors)")
        let step = try #require(Self.sample().labs["02-overlayfs"]?.steps["1"])
        #expect(step.hints == 1 && step.failedAttempts == 2 && step.passed == "2026-12-06T10:04:05Z")
        #expect(step.failedChecks == ["merged is an overlay mount (lowerdir=lower, upperdir=upper, workdir=work)": 2, "merged/in_both.txt reads \"I'm from upper\"": 1])
        #expect(Self.sample().labs["02-overlayfs"]?.completed == [1] && Self.sample().lastLab == "04-veth")
    }

    @Test("a file from before the schema (no version, no steps) reads with defaults and is written in the schema's shape")
    func older() throws {
        let old = #"{"labs":{"02-overlayfs":{"completed":[1,2],"current":3,"mode":"guided"}},"lastLab":"02-overlayfs"}"#
        let progress = try JSONDecoder().decode(Progress.self, from: Data(old.utf8))
        #expect(progress.version == Progress.schemaVersion && progress.labs["02-overlayfs"]?.completed == [1, 2])
        let errors = try SchemaCheck.errors(in: Self.document(progress), against: Self.schema())
        #expect(errors.isEmpty, "\(errors)")
    }

    @Test("the check finds what breaks the schema: a wrong type, a field it does not know, a missing one")
    func broken() throws {
        let schema = try Self.schema()
        var document = try #require(try Self.document(Self.sample()) as? [String: Any])
        document["version"] = "1"
        #expect(!SchemaCheck.errors(in: document, against: schema).isEmpty)
        document["version"] = true
        #expect(!SchemaCheck.errors(in: document, against: schema).isEmpty)
        document["version"] = 1
        document["grade"] = "A"
        #expect(!SchemaCheck.errors(in: document, against: schema).isEmpty)
        document["grade"] = nil
        var labs = try #require(document["labs"] as? [String: Any])
        var lab = try #require(labs["02-overlayfs"] as? [String: Any])
        lab["mode"] = "speedrun"
        labs["02-overlayfs"] = lab
        document["labs"] = labs
        #expect(SchemaCheck.errors(in: document, against: schema).contains { $0.contains("mode") })
        lab["mode"] = nil
        labs["02-overlayfs"] = lab
        document["labs"] = labs
        #expect(SchemaCheck.errors(in: document, against: schema).contains { $0.contains("mode") })
    }
}

/// The part of JSON Schema the progress schema uses: type, const, enum, minimum, required,
/// properties, additionalProperties, items, and the date-time format.
enum SchemaCheck {
    static func errors(in value: Any, against schema: [String: Any], at path: String = "$") -> [String] {
        var errors: [String] = []
        if let type = schema["type"] as? String, !matches(value, type) { return ["\(path): not of type \(type)"] }
        if let constant = schema["const"], !equal(value, constant) { errors.append("\(path): must be \(constant)") }
        if let choices = schema["enum"] as? [Any], !choices.contains(where: { equal(value, $0) }) { errors.append("\(path): \(value) is not one of \(choices)") }
        if let minimum = schema["minimum"] as? Int, let number = value as? Int, number < minimum { errors.append("\(path): below \(minimum)") }
        if schema["format"] as? String == "date-time", let text = value as? String,
           text.range(of: #"^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d(\.\d+)?(Z|[+-]\d\d:\d\d)$"#, options: .regularExpression) == nil {
            errors.append("\(path): \(text) is not an ISO 8601 date-time")
        }
        if let object = value as? [String: Any] {
            let properties = schema["properties"] as? [String: [String: Any]] ?? [:]
            for name in schema["required"] as? [String] ?? [] where object[name] == nil { errors.append("\(path): \(name) is missing") }
            for (name, member) in object {
                if let property = properties[name] {
                    errors += Self.errors(in: member, against: property, at: path + "." + name)
                } else if let additional = schema["additionalProperties"] as? [String: Any] {
                    errors += Self.errors(in: member, against: additional, at: path + "." + name)
                } else if schema["additionalProperties"] as? Bool == false {
                    errors.append("\(path): \(name) is not in the schema")
                }
            }
        }
        if let array = value as? [Any], let items = schema["items"] as? [String: Any] {
            for (index, item) in array.enumerated() { errors += Self.errors(in: item, against: items, at: "\(path)[\(index)]") }
        }
        return errors
    }

    private static func matches(_ value: Any, _ type: String) -> Bool {
        switch type {
        case "object": value is [String: Any]
        case "array": value is [Any]
        case "string": value is String
        // JSONSerialization gives numbers and booleans as NSNumber: a boolean's type is `c`.
        case "integer": (value as? NSNumber).map { String(cString: $0.objCType) != "c" && $0.doubleValue == $0.doubleValue.rounded() } ?? false
        default: false
        }
    }

    private static func equal(_ a: Any, _ b: Any) -> Bool {
        if let a = a as? String, let b = b as? String { return a == b }
        if let a = a as? NSNumber, let b = b as? NSNumber { return a == b }
        return false
    }
}
