import Testing
@testable import Lab

struct TranscriptTests {
    @Test func volatileValuesAreNormalised() {
        let raw = """
          openat(AT_FDCWD, "<ws>/a", O_RDONLY|O_CLOEXEC) = 3
          read(3, "x", 65536) = 1
          close(3) = 0
          + mount 212 overlay on <ws>/merged
        Device: 0,45\tInode: 1234\tLinks: 1
        Device type: 0,0
          + whiteout work/work/#1f (c 0,0)
          socket(AF_NETLINK, SOCK_RAW|SOCK_CLOEXEC, NETLINK_ROUTE) = 4
          sendmsg(4, RTM_NEWLINK ifname="veth-red" linkinfo={kind="veth", peer={net_ns_fd=3, ifname="eth0"}}, 0) = 100
          poll([{fd=5, events=POLLIN}], 1, 3000) = 1
        64 bytes from 10.0.0.2: icmp_seq=1 ttl=64 time=0.155 ms
          link/ether 72:ef:3d:bf:6e:a9 (veth)
          clone3({flags=CLONE_NEWPID|CLONE_INTO_CGROUP, exit_signal=SIGCHLD, cgroup=5}, 88) = 4242
        """
        let normalised = TranscriptNormalizer.normalize(raw)
        #expect(normalised == """
          openat(AT_FDCWD, "<ws>/a", O_RDONLY|O_CLOEXEC) = <fd>
          read(<fd>, "x", 65536) = 1
          close(<fd>) = 0
          + mount <id> overlay on <ws>/merged
        Device: <dev>\tInode: <ino>\tLinks: 1
        Device type: 0,0
          + whiteout work/work/#<n> (c 0,0)
          socket(AF_NETLINK, SOCK_RAW|SOCK_CLOEXEC, NETLINK_ROUTE) = <fd>
          sendmsg(<fd>, RTM_NEWLINK ifname="veth-red" linkinfo={kind="veth", peer={net_ns_fd=<fd>, ifname="eth0"}}, 0) = 100
          poll([{fd=<fd>, events=POLLIN}], 1, 3000) = 1
        64 bytes from 10.0.0.2: icmp_seq=1 ttl=64 time=<t> ms
          link/ether <mac> (veth)
          clone3({flags=CLONE_NEWPID|CLONE_INTO_CGROUP, exit_signal=SIGCHLD, cgroup=<fd>}, 88) = <pid>
        """)
    }

    @Test("a DNS query's random id, in dig's header and in the traced query and answer")
    func dnsQueryIds() {
        let raw = """
          sendto(5, {id=35604, flags=rd, question=[db. IN A]}, 20, 0, {sin_family=AF_INET, sin_port=htons(53), sin_addr=127.0.0.11}, 16) = 20
          recvfrom(5, {id=35604, flags=qr aa rd, status=NOERROR, question=[db. IN A], answer=[db. 600 IN A 172.18.0.2]}, 4096, 0, {sin_family=AF_INET, sin_port=htons(53), sin_addr=127.0.0.11}, [16]) = 36
        ;; ->>HEADER<<- opcode: QUERY, status: REFUSED, id: 4242
        """
        #expect(TranscriptNormalizer.normalize(raw) == """
          sendto(<fd>, {id=<id>, flags=rd, question=[db. IN A]}, 20, 0, {sin_family=AF_INET, sin_port=htons(53), sin_addr=127.0.0.11}, 16) = 20
          recvfrom(<fd>, {id=<id>, flags=qr aa rd, status=NOERROR, question=[db. IN A], answer=[db. 600 IN A 172.18.0.2]}, 4096, 0, {sin_family=AF_INET, sin_port=htons(53), sin_addr=127.0.0.11}, [16]) = 36
        ;; ->>HEADER<<- opcode: QUERY, status: REFUSED, id: <id>
        """)
    }

    @Test("where BoxLab's own programs are, and the pid a container's resolver is told")
    func ownPrograms() {
        let raw = #"  [pid 31] execve("/work/ci/.build/release/boxlab-resolver", ["boxlab-resolver", "--records", "$BOXLAB_RUN_DIR/containers/db/dns-records", "--owner", "22"], 0x… /* 1 vars */) = 0"#
        #expect(TranscriptNormalizer.normalize(raw) == #"  [pid <pid>] execve("<bin>/boxlab-resolver", ["boxlab-resolver", "--records", "$BOXLAB_RUN_DIR/containers/db/dns-records", "--owner", "<pid>"], 0x… /* <n> vars */) = 0"#)
    }

    @Test func workspacePaths() {
        let workspace = Workspace(root: "/run/boxlab/workspace/02-overlayfs")
        #expect(workspace.resolve("lower/../upper//x") == "/run/boxlab/workspace/02-overlayfs/upper/x")
        #expect(workspace.resolve("/etc/hostname") == "/etc/hostname")
        workspace.changeDirectory(to: "merged")
        #expect(workspace.resolve("a") == "/run/boxlab/workspace/02-overlayfs/merged/a")
        #expect(workspace.resolveFromRoot("a") == "/run/boxlab/workspace/02-overlayfs/a")
        #expect(workspace.display("mount(\"/run/boxlab/workspace/02-overlayfs/merged\")") == "mount(\"<ws>/merged\")")
        #expect(workspace.relative("/run/boxlab/workspace/02-overlayfs/upper/x") == "upper/x")
    }
}

struct ProseRendererTests {
    @Test func plainTerminal() {
        let markdown = "# OverlayFS\nThe **overlay** filesystem; run `mount`.\n\n```console\n$ findmnt merged\n```\n"
        #expect(ProseRenderer.render(markdown, colors: false) == "OverlayFS\nThe overlay filesystem; run `mount`.\n\n    $ findmnt merged\n")
    }

    @Test func colouredTerminal() {
        #expect(ProseRenderer.render("a **b** `c`", colors: true) == "a \u{1B}[1mb\u{1B}[0m \u{1B}[36mc\u{1B}[0m")
    }
}
