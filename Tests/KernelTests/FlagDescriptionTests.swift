import Testing
import Kernel

@Suite struct FlagDescriptionTests {
    @Test func mountFlags() {
        #expect(MountFlags([.bind, .recursive]).description == "MS_BIND|MS_REC")
        #expect(MountFlags([.recursive, .private]).description == "MS_REC|MS_PRIVATE")
        #expect(MountFlags().description == "0")
        #expect(MountFlags([.noExec, .noDev, .noSuid, .readOnly]).description
            == "MS_RDONLY|MS_NOSUID|MS_NODEV|MS_NOEXEC")
        #expect(MountFlags([.remount, .bind, .readOnly]).description == "MS_RDONLY|MS_REMOUNT|MS_BIND")
        #expect(MountFlags(rawValue: 1 << 30 | 1 << 12).description == "MS_BIND|0x40000000")
    }

    @Test func everyNamedMountFlagHasAName() {
        let all: [MountFlags] = [
            .readOnly, .noSuid, .noDev, .noExec, .synchronous, .remount, .mandatoryLock, .dirSync, .noSymFollow,
            .noAtime, .noDirAtime, .bind, .move, .recursive, .silent, .posixACL, .unbindable, .private, .slave,
            .shared, .relatime, .kernMount, .iVersion, .strictAtime, .lazyTime,
        ]
        for flag in all {
            #expect(flag.description.hasPrefix("MS_"), "\(flag.rawValue)")
        }
        #expect(Set(all.map(\.description)).count == all.count)
    }

    @Test func unmountFlags() {
        #expect(UnmountFlags.detach.description == "MNT_DETACH")
        #expect(UnmountFlags().description == "0")
        #expect(UnmountFlags([.force, .detach]).description == "MNT_FORCE|MNT_DETACH")
        #expect(UnmountFlags([.expire, .noFollow]).description == "MNT_EXPIRE|UMOUNT_NOFOLLOW")
    }

    @Test func propagationFlags() {
        #expect(Propagation.allCases.map(\.flag.description)
            == ["MS_SHARED", "MS_PRIVATE", "MS_SLAVE", "MS_UNBINDABLE"])
    }
}
