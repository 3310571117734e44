/// A link of that name is on the host already, so BoxLab does not make one (in host mode it
/// makes links there only under names nobody uses, so that reset never deletes another's).
struct LinkTaken: Error, Sendable, Equatable, CustomStringConvertible {
    let name: String

    var description: String { "the host has a link named \(name) already, and BoxLab makes links there only under new names" }
}
