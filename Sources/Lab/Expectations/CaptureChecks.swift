import Glibc
import Kernel

/// `captured vxlan vni N inner icmp from NS to ADDRESS on NS:LINK` (`CaptureExpectation`):
/// a packet socket on the link, an echo request from NS, and the frames that crossed the link
/// meanwhile, decoded. What did cross, when the echo did not as expected, is the finding.
extension Evaluator {
    func checkCaptured(_ want: CaptureExpectation) -> CheckResult {
        let place = "\(want.namespace):\(want.link)"
        let summary = "an echo from \(want.from) to \(want.address) crosses \(place) in VXLAN with VNI \(want.vni)"
        func fail(_ found: String, _ cause: String? = nil) -> CheckResult { CheckResult(passed: false, summary: summary, found: found, cause: cause) }
        guard let address = IPAddress(want.address) else { return fail("\(want.address) is not an address") }
        let sources: Set<IPAddress>
        do throws(KernelError) {
            sources = Set(try places.netlink(want.from).addresses().map(\.prefix.address))
        } catch {
            return fail(error.errno == .ENOENT ? "there is no network namespace \(want.from)" : "cannot read \(want.from)'s addresses: \(error.errno)")
        }
        let socket: PacketSocket
        do throws(KernelError) {
            socket = try places.perform(in: want.namespace) { () throws(KernelError) in
                let socket = try PacketSocket(link: want.link)
                try socket.setReceiveTimeout(0.3)
                return socket
            }
        } catch {
            return fail(error.call == "ioctl" ? "there is no link \(want.link) in \(want.namespace)"
                : error.errno == .ENOENT ? "there is no network namespace \(want.namespace)" : "cannot capture on \(place): \(error.errno)")
        }
        // The first echo may wait for the underlay's ARP, and one can be lost on a link just up: three tries.
        var seen: [[PacketLayer]] = []
        for _ in 0..<3 {
            do throws(KernelError) {
                _ = try places.perform(in: want.from) { () throws(KernelError) in try Kernel.Ping.echo(address, count: 1, timeout: 0.5) }
            } catch {
                return fail("sending from \(want.from) to \(address): \(error.errno)", error.errno == Errno(ENETUNREACH) ? "\(want.from) has no route to \(address)" : nil)
            }
            let frames = ((try? socket.receiveFrames(limit: 200)) ?? []).map { PacketLayer.decode($0.bytes) }
            seen += frames
            if frames.contains(where: { CaptureVerdict(of: $0, sources: sources, to: address)?.vni == want.vni }) {
                return CheckResult(passed: true, summary: summary)
            }
        }
        return judgeMissing(seen, want, sources: sources, to: address, place: place, fail)
    }

    /// Why no frame matched: the echo went in another VNI, unwrapped, or not at all.
    private func judgeMissing(_ seen: [[PacketLayer]], _ want: CaptureExpectation, sources: Set<IPAddress>, to address: IPAddress,
                              place: String, _ fail: (String, String?) -> CheckResult) -> CheckResult {
        let verdicts = seen.compactMap { CaptureVerdict(of: $0, sources: sources, to: address) }
        if let other = verdicts.first(where: { $0.vni != nil }) {
            return fail("the echo crossed \(place) in VXLAN with VNI \(other.vni!)",
                        "the VNI is the vxlan link's id (`ip link add … type vxlan id \(want.vni)`): both ends must use the same")
        }
        if !verdicts.isEmpty {
            return fail("the echo crossed \(place) unencapsulated (a static route, not VXLAN)",
                        "a route via the vxlan link sends it through the tunnel: `route … via … dev flannel.1 onlink`")
        }
        // A link also carries what nobody sent on purpose (IPv6 router solicitations, ARP): not a finding.
        let seen = seen.filter { $0.contains { if case .ipv4 = $0.header { true } else { false } } }
        guard !seen.isEmpty else {
            return fail("nothing crossed \(place): the echo from \(want.from) never reached it",
                        "a route to \(address) via the vxlan link, its neighbour entry and its fdb entry pointing at the peer's underlay address?")
        }
        let shown = seen.prefix(3).map(CaptureListing.summary).joined(separator: "; ")
        return fail("no echo to \(address) crossed \(place), only \(seen.count) other IPv4 packet\(seen.count == 1 ? "" : "s"): \(shown)\(seen.count > 3 ? "; …" : "")",
                    "is \(want.address) reached through \(place) at all?")
    }
}

/// A decoded frame that carries an echo request from `sources` to `address`: wrapped in VXLAN
/// (with its VNI) or not (nil VNI).
private struct CaptureVerdict {
    var vni: UInt32?

    init?(of layers: [PacketLayer], sources: Set<IPAddress>, to address: IPAddress) {
        var vni: UInt32?
        var ip: IPv4Packet?
        for layer in layers {
            switch layer.header {
            case .vxlan(let vxlan): vni = vxlan.vni
            case .ipv4(let packet): ip = packet
            case .icmp(let icmp) where icmp.isEchoRequest:
                guard let ip, sources.contains(ip.source), ip.destination == address else { return nil }
                self.vni = vni
                return
            default: break
            }
        }
        return nil
    }
}
