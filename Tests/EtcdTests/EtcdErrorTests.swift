@testable import Etcd
import Testing

/// What the learner reads when etcd goes quiet or ends a watch: BoxLab's own limit and
/// etcd's close, not an errno no call returned.
@Suite struct EtcdErrorTests {
    let endpoint = EtcdEndpoint("http://192.168.32.128:2379")!

    @Test func silenceSaysBoxLabsLimit() {
        #expect(EtcdError.silent(endpoint, seconds: 5).description == "etcd at http://192.168.32.128:2379 sent no answer within 5 seconds")
        #expect(EtcdError.silent(endpoint, seconds: 0.5).description == "etcd at http://192.168.32.128:2379 sent no answer within 0.5 seconds")
    }

    @Test func anEndedWatchIsNoResetConnection() {
        let text = EtcdError.watchEnded(endpoint).description
        #expect(text == "etcd at http://192.168.32.128:2379 ended the watch stream")
        #expect(!text.contains("ECONNRESET"))
    }
}
