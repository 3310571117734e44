/// Checks what the Markdown parser cannot: that every run line is a command BoxLab knows
/// with options it takes, and every expect line is a well-formed expectation. A lab that
/// would fail halfway through for a typo fails when it loads instead, naming file:line.
public enum LabValidator {
    public static func validated(_ lab: Lab) throws(LabFileError) -> Lab {
        for step in lab.steps {
            for block in step.actions where block.kind == .run {
                for line in block.lines {
                    do { _ = try CommandRunner.prepare(line.text) } catch {
                        throw LabFileError(location: line.location, message: error.description)
                    }
                }
            }
            for line in step.expectations {
                do { _ = try ExpectationParser.parse(line.text) } catch {
                    throw LabFileError(location: line.location, message: "bad expectation: \(error)")
                }
            }
        }
        return lab
    }
}
