import Testing
@testable import Lab

/// The registry of the command language (`CommandSet`): what each command's own definition
/// says about it must agree with what `help` shows and with how lines are run.
struct CommandSetTests {
    @Test func namesAreUnique() {
        let names = CommandSet.all.map(\.name)
        #expect(Set(names).count == names.count, "named twice: \(names.filter { name in names.filter { $0 == name }.count > 1 })")
        #expect(CommandSet.byName.count == names.count)
    }

    @Test("a usage line starts with the command's name, as help and usage errors show it", arguments: CommandSet.all.map(\.name))
    func usageStartsWithName(name: String) throws {
        let command = try #require(CommandSet.byName[name])
        #expect(command.usage == name || command.usage.hasPrefix(name + " "), "\(command.usage)")
        #expect(!command.summary.isEmpty)
    }

    /// `help` is where a learner finds out that `&` may end the line.
    @Test("a command that starts programs says so in its usage ([&]), and only such a command", arguments: CommandSet.all.map(\.name))
    func backgroundIsInUsage(name: String) throws {
        let command = try #require(CommandSet.byName[name])
        #expect(command.startsPrograms == command.usage.contains("&"), "\(command.usage)")
    }

    /// A command that starts programs takes `&` whatever line it performs in turn: an
    /// `innerLine` there would never be read.
    @Test(arguments: CommandSet.all.filter(\.startsPrograms).map(\.name))
    func innerLineOnlyWhereItDecides(name: String) throws {
        #expect(try #require(CommandSet.byName[name]).innerLine == nil)
    }

    /// clone announces them, and the transcripts show it: a command that loses or gains
    /// `runsInChild` changes where its calls are made.
    @Test func childSetupListsTheCommandsThatRunInIt() {
        #expect(ChildSetup.commandList == "cd, chroot, exec, hostname, ln, mkdir, mknod, mount, pivot_root, touch, umount")
    }

    @Test("'&' ends a line that starts a program, also through ip netns exec", arguments: [
        ("unshare -n sleep 1000 &", true), ("setpriv --no-new-privs sleep 1 &", true), ("nsenter -t 1 -n ip link &", true),
        ("cgexec -g memory:demo sleep 1 &", true), ("container run img &", true),
        ("ip netns exec red /bin/sleep 1 &", true), ("ip netns exec red unshare -n sleep 1 &", true),
        ("ip netns exec red ip netns exec blue sleep 1 &", false), ("ip netns exec red ip netns exec blue /bin/sh &", true),
        ("ip netns exec red mkdir x &", false), ("ip netns exec red &", false), ("sleep 1 &", false), ("mkdir x &", false),
        ("nosuch x &", false),
    ])
    func background(line: String, accepted: Bool) throws {
        let words = try ShellWords.parse(line)
        #expect(words.background)
        #expect(CommandSet.startsProgram(words.words) == accepted)
    }
}
