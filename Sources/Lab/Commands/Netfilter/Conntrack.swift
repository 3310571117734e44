import Kernel

extension Command {
    static let conntrack = Command(
        "conntrack", usage: "conntrack -L [-p tcp|udp|icmp] [-s ADDRESS] [-d ADDRESS]",
        summary: "the connection tracking table (a ctnetlink dump): each flow's original and reply tuples, and what NAT rewrote",
        options: [.flag("L", "dump"), .value("p", "proto"), .value("s", "src"), .value("d", "dst")]
    ) { call in
        guard call.options.has("dump") else { throw call.failure("BoxLab's conntrack lists the table: conntrack -L", cause: "usage: \(call.command.usage)") }
        try call.requireOperands(0...0)
        let protocolName = call.options.value("proto")
        if let protocolName, !["tcp", "udp", "icmp"].contains(protocolName) {
            throw call.failure("unknown protocol '\(protocolName)'", cause: "tcp, udp or icmp")
        }
        func address(_ option: String) throws -> IPAddress? {
            guard let text = call.options.value(option) else { return nil }
            guard let address = IPAddress(text) else { throw call.failure("'\(text)' is not an address", cause: "-s and -d take the original source and destination, e.g. 172.17.0.2") }
            return address
        }
        let source = try address("src"), destination = try address("dst")
        // conntrack(8) asks for one family when an address narrows the list, and filters the rest itself.
        let family: NetfilterFamily = source == nil && destination == nil ? .unspecified : .ip
        let flows: [ConntrackFlow]
        do {
            flows = try NetworkPlaces().conntrack(call.namespace).flows(family: family)
        } catch {
            throw call.failure("cannot read the connection tracking table", error)
        }
        // The kernel dumps its hash table, whose order changes from run to run.
        let shown = flows.filter { flow in
            (protocolName == nil || flow.original.protocolName == protocolName)
                && (source == nil || flow.original.source == source) && (destination == nil || flow.original.destination == destination)
        }.sorted { ($0.original.protocolNumber, $0.original.listed) < ($1.original.protocolNumber, $1.original.listed) }
        for flow in shown {
            call.write(flow.listed + "\n")
            for translation in flow.translations { call.write("  " + Conntrack.explain(translation, of: flow) + "\n") }
        }
        call.write("\(shown.count) flow entr\(shown.count == 1 ? "y has" : "ies have") been shown.\n")
    }
}

extension Conntrack {
    /// The rewrite in a learner's words: `NAT: 172.17.0.2:40000 → 203.0.113.1:80 left as
    /// 203.0.113.2:40000 (SNAT: …)`.
    static func explain(_ translation: ConntrackFlow.Translation, of flow: ConntrackFlow) -> String {
        let connection = "\(flow.original.sourceEnd) → \(flow.original.destinationEnd)"
        switch translation.kind {
        case .source:
            return "NAT: \(connection) left as \(translation.to) (SNAT: the source was rewritten; answers to \(translation.to) are turned back to \(translation.from))"
        case .destination:
            return "NAT: \(connection) was sent on to \(translation.to) (DNAT: the destination was rewritten; answers from \(translation.to) are turned back to come from \(translation.from))"
        }
    }
}
