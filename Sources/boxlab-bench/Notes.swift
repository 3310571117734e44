/// The "how to read this" printed under the table.
enum Notes {
    static let text = """
    How to read this:
    - Every figure is a median / 90th percentile over runs that alternate with the rows they
      are compared with (A, B, A, B, ...), so the ratios hold on a noisy machine even when the
      absolute times drift; compare ratios between machines, not milliseconds.
    - Start: the REPL is timed from posix_spawn until "02-overlayfs 1/8> " has been read from
      its stdout pipe. In its sandbox that includes the supervisor re-executing itself into new
      mount/net/UTS/IPC namespaces; `unshare ... true` is what those namespaces cost alone,
      `boxlab --help` what starting the Swift binary costs alone.
    - Evaluate: one call of Session.evaluate for the step (read and parse the mount table, parse
      each expectation, stat/read/list/getxattr what it names, build the results), against
      the same system calls made directly with glibc on preallocated buffers. The ratio is
      BoxLab's own overhead on top of the kernel's work.
    - Peak memory: ru_maxrss is the larger of the process's own peak and those of the
      children it waited for, not their sum. Most of it is the Swift runtime's and
      Foundation's library pages (the --help row), which the REPL's supervisor and worker
      share: the "together" row counts them once. The aim is under 50 MiB.
    - NAT: each round in a network namespace made for it (unshare on a thread, whose children
      inherit it). BoxLab's row is the Kernel's nf_tables client: one batch adds the table, its
      chains and the 100 rules, a dump finds their handles, one batch deletes them.
      iptables-nft's row is a process per rule (and two for the chain and its jump), each
      reading the whole ruleset before it changes it; nft's is `nft --echo --handle -f` of
      one file, then `nft -f` of a file deleting the rules by the handles it echoed.
    - DNS: boxlab-resolver and dnsmasq (--no-resolv --no-hosts --addn-hosts, the same names)
      in one network namespace made for the run, on 127.0.0.11 and 127.0.0.12; one client
      socket asks one server then the other, a query at a time, timed from sendto to the
      answer's arrival (the client's own costs count for both). RSS is VmRSS after the queries.
    - Launch: from the clone to the reaped exit of /bin/true. BoxLab's row is a call in this
      process (no Swift start: a lab's session is already running); util-linux's is a whole
      process that makes the same namespaces and mounts /proc, then forks true.
    - Container: each row is a whole process from posix_spawn to its reaped exit, the same
      container each time (namespaces, root, mounts, cgroup, capabilities): boxlab mounts a
      tmpfs for the container's own layer and the image's overlay every run, where crun and
      runc start from an OCI bundle whose overlay is already mounted. crun and runc move the
      child into its cgroups by pid, which on a cgroup v1 hierarchy waits for an RCU grace
      period unless another move came just before: most of their spread between runs.
      boxlab's child joins them itself (writing 0 to tasks; clone3 into a v2 group) and waits
      for none.
    - flannel: hosts are network namespaces cabled to one bridge, each with its agent (in a
      mount namespace of its own), all sharing one etcd on the bridge. A join is timed from
      the moment a watch sees the joiner's lease to the last of the other hosts' first
      answered ping to its docker0, pinging round the hosts still waiting (20 ms each); the
      same round once every host answers is the prober's own share. The joiner then leaves
      (its lease deleted, as expiry would) and another joins. Growth is against 2 hosts.
    - View: each row is one step of lab 02 performed in this process (Session.perform, its
      snapshot, diff and checks included), the view off, on with no page open (the step's
      lines still go to the server), and on with the page open in headless Chromium (the
      kernel's state read and four SVG pictures drawn after each step). The latency is from
      the step's end (CLOCK_MONOTONIC, stamped in the message) to the page's acknowledgement,
      sent once the next frame after the update has been painted.
    """
}
