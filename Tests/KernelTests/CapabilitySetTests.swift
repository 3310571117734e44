@testable import Kernel
import Glibc
import Testing

/// Capability sets as /proc/PID/status shows them, decoded without root.
struct CapabilitySetTests {
    /// A status file of a container's root under Docker's defaults (Linux 6.x, cap_last_cap 40).
    private let dockerStatus = """
        Name:\tsh
        Uid:\t0\t0\t0\t0
        CapInh:\t0000000000000000
        CapPrm:\t00000000a80425fb
        CapEff:\t00000000a80425fb
        CapBnd:\t00000000a80425fb
        CapAmb:\t0000000000000000
        NoNewPrivs:\t1
        Seccomp:\t2
        """

    private let all = (0...40).map(Capability.init(number:))

    @Test func dockersMaskIsItsFourteenCapabilities() throws {
        let set = try #require(CapabilitySet(hex: "00000000a80425fb"))
        #expect(set.capabilities == Capability.containerDefaults)
        #expect(set.capabilities.count == 14)
        #expect(set.decoded(all: all) == "cap_chown,cap_dac_override,cap_fowner,cap_fsetid,cap_kill,cap_setgid,cap_setuid,cap_setpcap,cap_net_bind_service,cap_net_raw,cap_sys_chroot,cap_mknod,cap_audit_write,cap_setfcap")
        #expect(CapabilitySet(Capability.containerDefaults).hex == "00000000a80425fb")
    }

    @Test func aFullSetIsAllAndAnEmptyOneNone() throws {
        #expect(try #require(CapabilitySet(hex: "000001ffffffffff")).decoded(all: all) == "all")
        #expect(try #require(CapabilitySet(hex: "0000000000000000")).decoded(all: all) == "none")
        // A kernel with one more capability than the set holds: not all.
        #expect(try #require(CapabilitySet(hex: "000000ffffffffff")).decoded(all: all).hasSuffix("cap_bpf"))
        #expect(CapabilitySet(mask: 1 << 21).decoded(all: all) == "cap_sys_admin")
        // One newer than capability.h's names here: by its number.
        #expect(CapabilitySet(mask: 1 << 45).decoded(all: all) == "45")
    }

    @Test(arguments: ["", "xyz", "00000000000000000", "-1", "0x10"])
    func aMaskThatIsNotHexIsRefused(text: String) {
        #expect(CapabilitySet(hex: text) == nil)
    }

    @Test func aStatusFileGivesTheFiveSetsAndNoNewPrivs() throws {
        let status = try #require(ProcessCapabilities(status: dockerStatus))
        #expect(status[.effective] == CapabilitySet(Capability.containerDefaults))
        #expect(status[.bounding].mask == 0xa80425fb)
        #expect(status[.inheritable].mask == 0 && status[.ambient].mask == 0)
        #expect(status.noNewPrivileges)
    }

    @Test func anOldKernelHasNoAmbientLineNorNoNewPrivs() throws {
        let old = dockerStatus.split(separator: "\n").filter { !$0.hasPrefix("CapAmb") && !$0.hasPrefix("NoNewPrivs") }.joined(separator: "\n")
        let status = try #require(ProcessCapabilities(status: old))
        #expect(status[.ambient].mask == 0)
        #expect(!status.noNewPrivileges)
    }

    @Test func aStatusWithoutCapEffOrWithGarbageIsNil() {
        #expect(ProcessCapabilities(status: "Name:\tsh\nCapInh:\t0\n") == nil)
        #expect(ProcessCapabilities(status: dockerStatus.replacing("CapEff:\t00000000a80425fb", with: "CapEff:\tzz")) == nil)
    }

    @Test func setsAreNamedAsTheFieldsAndAsCapshDoes() {
        #expect(ProcessCapabilities.Kind(word: "eff") == .effective)
        #expect(ProcessCapabilities.Kind(word: "bounding") == .bounding)
        #expect(ProcessCapabilities.Kind(word: "CapEff") == nil)
        #expect(ProcessCapabilities.Kind.allCases.map(\.shortName) == ["inh", "prm", "eff", "bnd", "amb"])
    }

    @Test func thisProcessHasReadableSets() throws {
        let own = try #require(ProcessCapabilities.of(getpid()))
        // Every set a process holds is within its bounding set, but for the inheritable one.
        #expect(own[.permitted].mask & ~own[.bounding].mask == 0)
    }
}
