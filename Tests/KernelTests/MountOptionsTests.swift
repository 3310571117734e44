import Testing
import Kernel

@Suite struct MountOptionsTests {
    @Test func splitsFlagsFromData() {
        let options = MountOptions.parse("ro,nosuid,lowerdir=a,upperdir=b")
        #expect(options.flags == [.readOnly, .noSuid])
        #expect(options.data == ["lowerdir=a", "upperdir=b"])
        #expect(options.dataString == "lowerdir=a,upperdir=b")
    }

    @Test func laterWordsOverrideEarlierOnes() {
        #expect(MountOptions.parse("ro,rw").flags == [])
        #expect(MountOptions.parse("nodev,noexec,exec").flags == [.noDev])
        #expect(MountOptions.parse("relatime,norelatime,noatime").flags == [.noAtime])
    }

    @Test func knowsRecursiveAndPropagationWords() {
        #expect(MountOptions.parse("rbind").flags == [.bind, .recursive])
        #expect(MountOptions.parse("bind").flags == [.bind])
        #expect(MountOptions.parse("rprivate").flags == [.private, .recursive])
        #expect(MountOptions.parse("rslave").flags == [.slave, .recursive])
        #expect(MountOptions.parse("shared").flags == [.shared])
        #expect(MountOptions.parse("runbindable").flags == [.unbindable, .recursive])
        #expect(MountOptions.parse("remount,ro,bind").flags == [.remount, .readOnly, .bind])
    }

    @Test func defaultsAndFstabOnlyOptionsAddNothing() {
        #expect(MountOptions.parse("defaults") == MountOptions())
        #expect(MountOptions.parse("defaults,noauto,nofail,x-systemd.automount,_netdev") == MountOptions())
        #expect(MountOptions.parse("").dataString == nil)
    }

    @Test func escapedAndQuotedCommasDoNotSplit() {
        #expect(MountOptions.parse(#"lowerdir=a\,b:c,upperdir=u"#).data == [#"lowerdir=a\,b:c"#, "upperdir=u"])
        #expect(MountOptions.parse(#"context="a,b",ro"#) == MountOptions(flags: .readOnly, data: [#"context="a,b""#]))
    }

    @Test(arguments: [
        "ro,nosuid,lowerdir=a,upperdir=b",
        "rbind",
        "ro,remount,bind",
        "nosuid,nodev,noexec,relatime,size=4k,mode=755",
        "rprivate",
        "defaults",
    ])
    func optionStringParsesBackToTheSameOptions(text: String) {
        let options = MountOptions.parse(text)
        #expect(options.optionString == text)
        #expect(MountOptions.parse(options.optionString) == options)
    }

    @Test func optionStringOfBuiltOptions() {
        #expect(MountOptions(flags: [.recursive, .bind, .readOnly], data: ["x=1"]).optionString == "ro,rbind,x=1")
        #expect(MountOptions().optionString == "defaults")
    }
}
