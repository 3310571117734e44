import Etcd
import Kernel

/// `etcd …` (`EtcdExpectation`): asked over etcd's HTTP/JSON gateway at 127.0.0.1:2379 from
/// inside the namespace, as `ip netns exec NS etcdctl` would ask.
extension Evaluator {
    static let etcdEndpoint = EtcdEndpoint(address: IPAddress("127.0.0.1")!, port: 2379)

    func checkEtcd(_ want: EtcdExpectation) -> CheckResult {
        let summary = etcdSummary(want)
        func fail(_ found: String, _ cause: String? = nil) -> CheckResult { CheckResult(passed: false, summary: summary, found: found, cause: cause) }
        let namespace = want.namespace
        let client = EtcdClient(endpoints: [Self.etcdEndpoint], timeout: 1)
        func ask<R>(_ body: (EtcdClient) throws(EtcdError) -> R) -> Result<R, Unanswered> {
            let outcome: Result<R, EtcdError>
            do throws(KernelError) {
                outcome = try places.perform(in: namespace) { () throws(KernelError) -> Result<R, EtcdError> in
                    do throws(EtcdError) { return .success(try body(client)) } catch { return .failure(error) }
                }
            } catch {
                return .failure(Unanswered(result: fail(error.errno == .ENOENT ? "there is no network namespace \(namespace)" : "entering \(namespace): \(error.errno)")))
            }
            switch outcome {
            case .success(let value): return .success(value)
            case .failure(.unreachable(_, let error)):
                return .failure(Unanswered(result: fail("nothing answers at \(Self.etcdEndpoint) in \(namespace): \(error.errno)",
                                     "etcd is not running in \(namespace), or does not listen on 127.0.0.1 there: start it with --listen-client-urls http://…:2379,http://127.0.0.1:2379")))
            case .failure(let error): return .failure(Unanswered(result: fail("\(error)")))
            }
        }

        switch want {
        case .value(let key, let json, _):
            switch ask({ (client) throws(EtcdError) in try client.get(key) }) {
            case .failure(let failure): return failure.result
            case .success(nil): return fail("\(key) is absent", "write it: ip netns exec \(namespace) etcdctl put \(key) '\(json)'")
            case .success(let pair?):
                guard let stored = JSONValue(pair.value) else { return fail("\(key) holds \(quoted(pair.text)), which is not JSON") }
                guard let difference = stored.firstDifference(from: json) else { return CheckResult(passed: true, summary: summary) }
                return fail("\(key) holds \(stored); expected \(json)", "they differ at \(difference)")
            }
        case .count(let prefix, let keys, _):
            switch ask({ (client) throws(EtcdError) in try client.list(prefix: prefix).pairs }) {
            case .failure(let failure): return failure.result
            case .success(let pairs) where pairs.count == keys: return CheckResult(passed: true, summary: summary)
            case .success(let pairs):
                let names = pairs.prefix(8).map { $0.key }.joined(separator: ", ") + (pairs.count > 8 ? ", …" : "")
                return fail("\(pairs.count) key\(pairs.count == 1 ? "" : "s") under \(prefix)" + (pairs.isEmpty ? "" : ": \(names)"))
            }
        case .leasesDisjoint(let prefix, _):
            let configKey = FlannelConfig.key(prefix: prefix)
            let stored: EtcdKeyValue?, pairs: [EtcdKeyValue]
            switch ask({ (client) throws(EtcdError) in (try client.get(configKey), try client.list(prefix: FlannelLease.directory(prefix: prefix)).pairs) }) {
            case .failure(let failure): return failure.result
            case .success(let read): (stored, pairs) = read
            }
            guard let stored else { return fail("\(configKey) is absent", "write the network's config there first (etcdctl put \(configKey) '{\"Network\":…}')") }
            let config: FlannelConfig
            do { config = try FlannelConfig(json: stored.value) } catch { return fail("\(configKey): \(error)") }
            // No lease at all says nothing about how leases are made: no agent has run yet.
            guard !pairs.isEmpty else {
                return fail("no lease under \(FlannelLease.directory(prefix: prefix))", "an agent leases its host's subnet when it starts (flannel --etcd-endpoints=… --iface=… &)")
            }
            var seen: [(key: String, subnet: IPv4Subnet)] = []
            for pair in pairs {
                guard let subnet = FlannelLease.subnet(ofKey: pair.key, prefix: prefix) else {
                    return fail("\(pair.key) does not name a subnet", "flannel's lease keys are \(FlannelLease.directory(prefix: prefix))A.B.C.D-LEN")
                }
                if let problem = config.problem(with: subnet) {
                    return fail("the lease \(pair.key) (\(subnet)) \(problem)", "a lease must be a /\(config.subnetLength) of \(config.network) from SubnetMin \(IPv4Subnet.address(config.subnetMin.base)) to SubnetMax \(IPv4Subnet.address(config.subnetMax.base))")
                }
                if let other = seen.first(where: { $0.subnet.overlaps(subnet) }) {
                    return fail("the lease \(pair.key) (\(subnet)) overlaps \(other.key) (\(other.subnet))", "two hosts would route the same containers' addresses")
                }
                seen.append((pair.key, subnet))
            }
            return CheckResult(passed: true, summary: summary + " (\(seen.count) lease\(seen.count == 1 ? "" : "s"): \(seen.map { "\($0.subnet)" }.joined(separator: ", ")))")
        }
    }

    private func etcdSummary(_ want: EtcdExpectation) -> String {
        let place = want.namespace == NetworkPlaces.host ? "" : " in \(want.namespace)"
        switch want {
        case .value(let key, let json, _): return "etcd\(place) holds \(key) == \(json)"
        case .count(let prefix, let keys, _): return "etcd\(place) has \(keys) key\(keys == 1 ? "" : "s") under \(prefix)"
        case .leasesDisjoint(let prefix, _): return "etcd\(place): the leases under \(FlannelLease.directory(prefix: prefix)) are disjoint and within \(FlannelConfig.key(prefix: prefix))"
        }
    }
}

/// A check that ended before etcd answered (no namespace, nothing listening): its result.
struct Unanswered: Error {
    let result: CheckResult
}
