extension RouteNetlink {
    /// The routes of one family in one table (the kernel filters with strict checking on,
    /// and the filter is applied here again).
    ///
    /// The corresponding C functions are `sendmsg` and `recvmsg`.
    public func routes(family: AddressFamily = .inet, table: RouteTable = .main) throws(KernelError) -> [Route] {
        let replies: [NetlinkMessage]
        do { replies = try exchange(.routeDump(family: family, table: table)) } catch where error.errno == .ENOENT {
            // A strict dump of a table that was never made (every route of a new namespace
            // gone with lo down) is ENOENT, not an empty list; ip route shows nothing.
            return []
        }
        return replies.compactMap { reply in
            guard case .route(let message) = reply.payload, let route = Route(message), route.table == table else { return nil }
            return route
        }
    }

    /// `ip route add|replace DESTINATION [via GATEWAY] [dev LINK] [scope S] [metric M] [table T]
    /// [onlink]`; `IPPrefix.defaultIPv4` for `default`. ENETUNREACH when the gateway is not on
    /// a directly attached network, unless `onlink` says to take it as being on the device's
    /// link anyway (flannel's route to a remote subnet via that subnet's own address on
    /// flannel.1). EEXIST when the route exists and `replace` is false.
    ///
    /// The corresponding C functions are `sendmsg` and `recvmsg`.
    public func addRoute(
        _ destination: IPPrefix, via gateway: IPAddress? = nil, device: LinkReference? = nil,
        scope: RouteScope? = nil, metric: UInt32? = nil, table: RouteTable = .main, onlink: Bool = false, replace: Bool = false
    ) throws(KernelError) {
        let deviceIndex = try device.map { (device) throws(KernelError) in try index(of: device) }
        _ = try exchange(.addRoute(
            destination, via: gateway, deviceIndex: deviceIndex, scope: scope, metric: metric, table: table, onlink: onlink, replace: replace
        ))
    }

    /// `ip route del DESTINATION [via GATEWAY] [dev LINK] [table T]`; ESRCH when no route matches.
    ///
    /// The corresponding C functions are `sendmsg` and `recvmsg`.
    public func deleteRoute(
        _ destination: IPPrefix, via gateway: IPAddress? = nil, device: LinkReference? = nil,
        metric: UInt32? = nil, table: RouteTable = .main
    ) throws(KernelError) {
        let deviceIndex = try device.map { (device) throws(KernelError) in try index(of: device) }
        _ = try exchange(.deleteRoute(destination, via: gateway, deviceIndex: deviceIndex, metric: metric, table: table))
    }
}

/// The route requests, built as `ip route` builds them.
extension NetlinkMessage {
    /// RTM_GETROUTE dump with `RTA_TABLE` as its filter, as `ip route show` asks.
    public static func routeDump(family: AddressFamily = .inet, table: RouteTable = .main) -> NetlinkMessage {
        NetlinkMessage(type: .getRoute, flags: [.request, .dump], payload: .route(RouteMessage(
            family: family, attributes: [.integer(RTA.table, table.rawValue)]
        )))
    }

    /// RTM_NEWROUTE with CREATE and EXCL, or REPLACE, protocol boot. Without a gateway the
    /// route is scope link (the network is directly attached), with one scope global;
    /// `onlink` is RTNH_F_ONLINK in `rtm_flags`.
    public static func addRoute(
        _ destination: IPPrefix, via gateway: IPAddress? = nil, deviceIndex: Int32? = nil,
        scope: RouteScope? = nil, metric: UInt32? = nil, table: RouteTable = .main, onlink: Bool = false, replace: Bool = false
    ) -> NetlinkMessage {
        var message = routeMessage(
            destination, gateway: gateway, deviceIndex: deviceIndex, metric: metric, table: table,
            routeProtocol: .boot, scope: scope ?? (gateway == nil ? .link : .universe), type: .unicast
        )
        if onlink { message.flags |= RouteMessage.onlink }
        return NetlinkMessage(type: .newRoute, flags: [.request, .ack, .create, replace ? .replace : .exclusive], payload: .route(message))
    }

    /// RTM_DELROUTE: what is not given matches anything (scope nowhere, type and protocol
    /// unspecified).
    public static func deleteRoute(
        _ destination: IPPrefix, via gateway: IPAddress? = nil, deviceIndex: Int32? = nil,
        metric: UInt32? = nil, table: RouteTable = .main
    ) -> NetlinkMessage {
        let message = routeMessage(
            destination, gateway: gateway, deviceIndex: deviceIndex, metric: metric, table: table,
            routeProtocol: .unspecified, scope: .nowhere, type: .unspecified
        )
        return NetlinkMessage(type: .deleteRoute, flags: [.request, .ack], payload: .route(message))
    }

    /// The attributes in the order `ip route` writes them; a table above 255 goes in `RTA_TABLE`.
    private static func routeMessage(
        _ destination: IPPrefix, gateway: IPAddress?, deviceIndex: Int32?, metric: UInt32?, table: RouteTable,
        routeProtocol: RouteProtocol, scope: RouteScope, type: RouteType
    ) -> RouteMessage {
        var message = RouteMessage(
            family: destination.family, destinationLength: destination.length,
            table: table.rawValue < 256 ? UInt8(table.rawValue) : 0, routeProtocol: routeProtocol, scope: scope, type: type
        )
        if table.rawValue >= 256 { message.attributes.append(.integer(RTA.table, table.rawValue)) }
        if !destination.isDefault { message.attributes.append(NetlinkAttribute(type: RTA.destination, payload: destination.address.bytes)) }
        if let metric { message.attributes.append(.integer(RTA.priority, metric)) }
        if let gateway { message.attributes.append(NetlinkAttribute(type: RTA.gateway, payload: gateway.bytes)) }
        if let deviceIndex { message.attributes.append(.integer(RTA.outputInterface, UInt32(bitPattern: deviceIndex))) }
        return message
    }
}
