import Foundation
@testable import Etcd
import Testing

@Suite struct GatewayCodecTests {
    /// The body of a captured response and its status.
    private func body(_ name: String, streaming: Bool = false) throws -> (status: Int, body: [UInt8]) {
        var reader = HTTPResponseReader()
        let body = try reader.feed(try fixture(name))
        // A watch's stream was cut by the capture, not ended by etcd.
        if !streaming { try reader.finish() }
        return (try #require(reader.status), body)
    }

    private func decode<T: Decodable>(_ type: T.Type, _ name: String) throws -> T {
        let (status, bytes) = try body(name)
        return try EtcdClient.decode(type, bytes, status: status, path: "/v3/test")
    }

    @Test func rangeDecodesBase64KeysAndStringIntegers() throws {
        let response = try decode(RangeResponse.self, "range")
        let pair = EtcdKeyValue(try #require(response.kvs?.first))
        #expect(pair.key == "/coreos.com/network/config")
        #expect(pair.text == #"{"Network":"172.18.0.0/16","SubnetMin":"172.18.1.0","SubnetMax":"172.18.254.0","Backend":{"Type":"vxlan"}}"#)
        #expect(pair.createRevision == 2 && pair.modRevision == 2 && pair.lease == 0)
        #expect(response.header?.revision?.value == 2)
        #expect(try decode(RangeResponse.self, "range-absent").kvs == nil)
    }

    @Test func aLeasedKeyCarriesItsLease() throws {
        let pair = EtcdKeyValue(try #require(try decode(RangeResponse.self, "range-prefix").kvs?.first))
        #expect(pair.key == "/coreos.com/network/subnets/172.18.1.0-24")
        #expect(pair.lease == 7587899414830896136)
        let lease = try FlannelLease(key: pair.key, prefix: "/coreos.com/network", value: pair.value)
        #expect(lease.publicIP.description == "192.168.32.129")
        #expect(lease.vtepMAC?.description == "0e:00:00:00:01:00")
        #expect(lease.value == pair.value)
    }

    @Test func transactionsSayWhetherTheyCreated() throws {
        #expect(try decode(TransactionResponse.self, "txn-created").succeeded == true)
        // A failed compare is the zero value, which the gateway leaves out.
        #expect(try decode(TransactionResponse.self, "txn-conflict").succeeded == nil)
    }

    @Test func leasesGrantedKeptAliveAndExpired() throws {
        let grant = try decode(LeaseGrantResponse.self, "grant")
        #expect(grant.TTL?.value == 30)
        #expect(grant.ID != nil)
        #expect(try decode(StreamMessage<LeaseKeepAliveResponse>.self, "keepalive").result?.TTL?.value == 30)
        // An unknown lease is no error: a keepalive result without a TTL.
        #expect(try decode(StreamMessage<LeaseKeepAliveResponse>.self, "keepalive-expired").result?.TTL == nil)
        #expect(try decode(DeleteRangeResponse.self, "deleterange").deleted?.value == 1)
    }

    @Test func gatewayErrorsBecomeServerErrors() throws {
        do {
            _ = try decode(LeaseRevokeResponse.self, "revoke-absent")
            Issue.record("a 404 decoded")
        } catch let error as EtcdError {
            #expect(error.description == "etcd refused the request: etcdserver: requested lease not found (HTTP 404, gRPC code 5)")
        }
        do {
            _ = try decode(RangeResponse.self, "bad-json")
            Issue.record("a 400 decoded")
        } catch let error as EtcdError {
            #expect(error.description.contains("(HTTP 400, gRPC code 3)"))
        }
    }

    @Test func watchLinesBecomeEvents() throws {
        let lines = try body("watch", streaming: true).body.split(separator: 10).map(Array.init)
        #expect(lines.count == 3)
        #expect(try EtcdWatch.events(in: lines[0]).isEmpty)
        let put = try EtcdWatch.events(in: lines[1])
        guard case .put(let pair)? = put.first else { Issue.record("no put: \(put)"); return }
        #expect(pair.key == "/coreos.com/network/subnets/172.18.1.0-24" && pair.modRevision == 3)
        #expect(try EtcdWatch.events(in: lines[2]) == [.delete(key: "/coreos.com/network/subnets/172.18.1.0-24", revision: 4)])
    }

    @Test func requestsAreTheGatewaysJSON() throws {
        let put = PutRequest(key: GatewayBytes("/a"), value: GatewayBytes("b"), lease: GatewayInteger(7587899414830896136))
        let encoder = JSONEncoder()
        encoder.outputFormatting = .sortedKeys
        #expect(String(decoding: try encoder.encode(put), as: UTF8.self) == #"{"key":"L2E=","lease":"7587899414830896136","value":"Yg=="}"#)
        #expect(rangeEnd(ofPrefix: "/coreos.com/network/subnets/") == Array("/coreos.com/network/subnets0".utf8))
        #expect(rangeEnd(ofPrefix: "") == [0])
    }

    @Test func endpoints() {
        #expect(EtcdEndpoint("http://192.168.32.128:2379")?.description == "http://192.168.32.128:2379")
        #expect(EtcdEndpoint("http://127.0.0.1/")?.port == 2379)
        #expect(EtcdEndpoint("https://127.0.0.1:2379") == nil)
        #expect(EtcdEndpoint("http://etcd:2379") == nil)
        guard case .failure(let error) = EtcdEndpoint.list("http://10.0.0.1:2379,tcp://x") else { Issue.record("accepted"); return }
        #expect(error.description.hasPrefix("tcp://x: not an etcd endpoint"))
    }
}
