import Kernel
import Testing
@testable import Lab

/// `resolve NAME from PROC|NS [== ADDRESS]` as parsed, and the files a stub resolver reads.
struct ResolveExpectationTests {
    @Test func parses() throws {
        #expect(try ExpectationParser.parse("resolve db from $web == 172.18.0.2")
            == .resolve(ResolveExpectation(name: "db", from: "$web", address: "172.18.0.2")))
        #expect(try ExpectationParser.parse("resolve db.backend. from c1") == .resolve(ResolveExpectation(name: "db.backend.", from: "c1")))
        #expect(try ExpectationParser.parse("not resolve db from 4242") == .not(.resolve(ResolveExpectation(name: "db", from: "4242"))))
        #expect(try ExpectationParser.parse("resolve DB from $c1").subject == "resolve $c1:db")
    }

    @Test("bad resolve expectations say what was expected", arguments: [
        ("resolve", "missing the NAME to resolve"),
        ("resolve db", "after db, expected from PROC or from NS"),
        ("resolve db in $c1", "after db, expected from PROC or from NS"),
        ("resolve a..b from $c1", "'a..b' is not a domain name: labels of 1 to 63 characters separated by dots"),
        ("resolve db from $c1 == db2", "after from $c1, expected == ADDRESS (an IPv4 address)"),
        ("resolve db from $c1 == fd00::2", "after from $c1, expected == ADDRESS (an IPv4 address)"),
        ("resolve db from $c1 172.18.0.2", "after from $c1, expected == ADDRESS (an IPv4 address)"),
    ])
    func bad(line: String, message: String) {
        do {
            _ = try ExpectationParser.parse(line)
            Issue.record("\(line) was accepted")
        } catch {
            #expect(error.description == message + " (expected: resolve NAME from PROC|NS [== ADDRESS])")
        }
    }

    @Test("/etc/hosts lines as glibc reads them: aliases, case, comments, IPv4 only")
    func hostsFile() {
        let hosts = """
            127.0.0.1\tlocalhost
            ::1\tlocalhost ip6-localhost
            # 10.0.0.9 db
            172.17.0.2\tDB db-alias   # --link db:db-alias
            172.17.0.5 other db
            """
        #expect(NameResolution.hosts(hosts, name: "db") == [IPAddress("172.17.0.2")!, IPAddress("172.17.0.5")!])
        #expect(NameResolution.hosts(hosts, name: "db-alias.") == [IPAddress("172.17.0.2")!])
        #expect(NameResolution.hosts(hosts, name: "localhost") == [IPAddress("127.0.0.1")!])
        #expect(NameResolution.hosts(hosts, name: "web").isEmpty)
        #expect(NameResolution.ipv4Names(hosts) == ["localhost", "DB", "db-alias", "other", "db"])
    }

    @Test func resolvConf() {
        #expect(NameResolution.firstNameserver("search lan\nnameserver 127.0.0.11\nnameserver 10.0.0.1\noptions ndots:0\n") == IPAddress("127.0.0.11"))
        #expect(NameResolution.firstNameserver("# nameserver 1.1.1.1\nnameserver\nnameserver x\noptions ndots:0\n") == nil)
    }
}
