/// Where an extended ack's offset (`NLMSGERR_ATTR_OFFS`, bytes from the start of the
/// request's header) points in a request: the attribute that starts there and the ones it
/// is nested in, outermost first, each with its position among its siblings. The kernel
/// points at the attribute it refused: a rule's chain, or the third expression of its list.
struct AttributePath: Sendable {
    var steps: [(type: UInt16, index: Int)]

    /// `attributes` start `start` bytes into the message (after its header and fixed body).
    init(to offset: Int, in attributes: [NetlinkAttribute], at start: Int) {
        steps = []
        var attributes = attributes
        var position = start
        var index = 0
        while index < attributes.count {
            let attribute = attributes[index]
            let end = position + netlinkAligned(NetlinkAttribute.headerSize + attribute.payload.count)
            guard offset >= position, offset < end else {
                position = end
                index += 1
                continue
            }
            steps.append((attribute.type, index))
            guard offset > position, let children = attribute.children else { return }
            attributes = children
            position += NetlinkAttribute.headerSize
            index = 0
        }
    }
}
