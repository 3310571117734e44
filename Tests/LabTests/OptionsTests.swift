import Testing
@testable import Lab

struct OptionsTests {
    let mountSpecs: [OptionSpec] = [.value("t", "types"), .value("o", "options"), .flag("B", "bind"), .flag("r", "read-only")]

    @Test func getoptForms() throws {
        let parsed = try ParsedOptions.parse(["-toverlay", "overlay", "--options=lowerdir=a", "-o", "upperdir=b", "merged", "--bind"], specs: mountSpecs, command: "mount")
        #expect(parsed.value("types") == "overlay")
        #expect(parsed.allValues("options") == ["lowerdir=a", "upperdir=b"])
        #expect(parsed.has("bind"))
        #expect(parsed.operands == ["overlay", "merged"])
    }

    @Test func clusteredFlagsAndDoubleDash() throws {
        let parsed = try ParsedOptions.parse(["-rB", "--", "-weird-name"], specs: mountSpecs, command: "mount")
        #expect(parsed.has("read-only") && parsed.has("bind"))
        #expect(parsed.operands == ["-weird-name"])
    }

    @Test func unknownOptionListsTheKnownOnes() {
        do {
            _ = try ParsedOptions.parse(["-x"], specs: [.flag("p", "parents")], command: "mkdir")
            Issue.record("-x was accepted")
        } catch let error as CommandError {
            #expect(error.description == "mkdir: unknown option -x (it knows -p/--parents)")
        } catch {
            Issue.record("\(error)")
        }
    }

    @Test func missingValue() {
        #expect(throws: CommandError(message: "mount: option -t needs a value")) {
            try ParsedOptions.parse(["-t"], specs: mountSpecs, command: "mount")
        }
    }

    @Test("every lab command is recognised, and others are refused with the list", arguments: CommandSet.all.map(\.name))
    func commandsPrepare(name: String) throws {
        let (command, _, _) = try CommandRunner.prepare(name + " x")
        #expect(command.name == name)
    }

    @Test func unknownCommand() {
        do {
            _ = try CommandRunner.prepare("sudo mount x")
            Issue.record("sudo was accepted")
        } catch {
            #expect(error.description == "unknown command 'sudo' (BoxLab already runs as root; drop sudo)")
        }
    }

    @Test func echoAndPrintfEscapes() {
        #expect(unescape("a\\tb\\n") == "a\tb\n")
        #expect(unescape("back\\\\slash") == "back\\slash")
    }
}
