import CBench
import Foundation
import Glibc
import Kernel

/// (e) Starting a program in new namespaces and waiting for it to end: `/bin/true` with new
/// mount (and a fresh /proc), PID, UTS, IPC and network namespaces, the set a container gets.
/// BoxLab's launcher in-process (what `unshare … &` and `wait` do in a lab, traced and not),
/// next to util-linux's `unshare -m -p -f --mount-proc -u -i -n true` as a process, next to a
/// plain fork and exec of `/bin/true` (the floor: no namespaces at all).
struct LaunchBench {
    let options: BenchOptions

    func run() -> Bool {
        Table.section("Starting /bin/true in new mount (+/proc), PID, UTS, IPC and network namespaces, to its end (\(options.runs) rounds interleaved; median / p90)")
        guard let unshare = which("unshare"), let truePath = which("true") else {
            Table.failed("launch", BenchError("no unshare or true on PATH: apt-get install util-linux coreutils"))
            return false
        }
        var traced = Samples(), untraced = Samples(), utilLinux = Samples(), plain = Samples()
        do {
            for _ in 0..<options.runs {
                traced.add(try time { try Trace.recording(into: TraceRecorder()) { try launch(truePath) } })
                untraced.add(try time { try launch(truePath) })
                utilLinux.add(try time { try spawnAndWait([unshare, "-m", "-p", "-f", "--mount-proc", "-u", "-i", "-n", truePath]) })
                plain.add(try time { try spawnAndWait([truePath]) })
            }
        } catch {
            Table.failed("launch", BenchError(error))
            return false
        }
        Table.row("BoxLab's launcher, in-process, traced", Table.medianAndP90(traced), "the child's calls reported back and rendered")
        Table.row("BoxLab's launcher, in-process, untraced", Table.medianAndP90(untraced),
                  "util-linux unshare takes \(Table.ratio(utilLinux.median, to: untraced.median)) of it")
        Table.row("unshare -m -p -f --mount-proc -u -i -n (a process)", Table.medianAndP90(utilLinux), "")
        Table.row("fork + exec of /bin/true, no namespaces (floor)", Table.medianAndP90(plain),
                  "namespaces cost BoxLab \(Table.duration(untraced.median - plain.median))")
        return true
    }

    private func launch(_ path: String) throws {
        var launch = ProcessLaunch(path: path, arguments: ["true"], environment: [])
        launch.new = [.mnt, .pid, .uts, .ipc, .net]
        launch.propagation = .private
        launch.mountProc = true
        let process = try launch.start()
        guard try ChildProcess.wait(process.child).succeeded else { throw BenchError("true failed in its namespaces") }
    }

    private func spawnAndWait(_ arguments: [String]) throws {
        let pid = withCStrings(arguments) { argv in withCStrings([]) { envp in bench_spawn(arguments[0], argv, envp, -1, -1, -1) } }
        guard pid > 0 else { throw BenchError("cannot start \(arguments[0]): errno \(-pid)") }
        // The same reaping as BoxLab's launcher rows: only the start differs between the rows.
        let termination = try ChildProcess.wait(pid)
        guard termination.succeeded else { throw BenchError("\(arguments.joined(separator: " ")) ended with \(termination)") }
    }

    private func time(_ body: () throws -> Void) throws -> Double {
        let start = Clock.now()
        try body()
        return Double(Clock.since(start))
    }
}
