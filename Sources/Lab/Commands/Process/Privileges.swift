import Kernel

/// setpriv(1)'s options, for a program BoxLab starts (`setpriv`, `unshare`, and `exec` of a
/// process being set up): what the child does to its own privileges between clone and exec.
///
///     --no-new-privs             PR_SET_NO_NEW_PRIVS: no exec gains privileges (setuid bits, file capabilities)
///     --bounding-set CAPS        PR_CAPBSET_DROP of each capability CAPS leaves out
///     --inh-caps CAPS            the inheritable set (capget, then capset)
///     --ambient-caps CAPS        PR_CAP_AMBIENT raise (+), lower (-), clear all (-all)
///     --regid GID                setresgid, with --clear-groups (setgroups to none) or --keep-groups
///     --reuid UID                setresuid
///
/// CAPS is setpriv's list: `-all,+chown,+net_bind_service`, applied left to right; a name
/// with or without `cap_`, any case. The calls go in the order that needs no capability back:
/// the bounding set and no_new_privs first (dropping needs CAP_SETPCAP, which the change from
/// uid 0 takes away), the gid before the uid (CAP_SETGID goes with it too), then the
/// inheritable and ambient sets. setpriv(1) itself keeps its capabilities across the change
/// of uid (PR_SET_KEEPCAPS, then capset again) and drops the bounding set after it; here
/// PR_SET_KEEPCAPS comes only where an ambient capability needs the permitted set kept.
struct Privileges {
    static let optionSpecs: [OptionSpec] = [
        .flag(nil, "no-new-privs"), .value(nil, "bounding-set"), .value(nil, "inh-caps"), .value(nil, "ambient-caps"),
        .value(nil, "reuid"), .value(nil, "regid"), .flag(nil, "clear-groups"), .flag(nil, "keep-groups"),
    ]

    static let usage = "[--no-new-privs] [--bounding-set CAPS] [--inh-caps CAPS] [--ambient-caps CAPS] [--regid GID --clear-groups|--keep-groups] [--reuid UID]"

    /// One item of a CAPS list: `+chown`, `-all`. `capability` nil is `all`.
    struct Change: Equatable {
        var add: Bool
        var capability: Capability?
    }

    /// The operations the options ask for, in that order; a mistake is a one-line error.
    static func operations(_ options: ParsedOptions, command: String) throws(CommandError) -> [SetupOperation] {
        func fail(_ message: String, _ cause: String) -> CommandError { CommandError(message: "\(command): \(message)", cause: cause) }
        var operations: [SetupOperation] = []
        if let text = options.value("bounding-set") {
            // The set only shrinks: everything a list leaves out of the full set is dropped.
            let all = Capability.all()
            var kept = Set(all)
            for change in try changes(text, option: "bounding-set", command: command) {
                let named = change.capability.map { [$0] } ?? all
                if change.add { kept.formUnion(named) } else { kept.subtract(named) }
            }
            operations += all.filter { !kept.contains($0) }.map(SetupOperation.dropBoundingCapability)
        }
        if options.has("no-new-privs") { operations.append(.noNewPrivileges) }
        let uid = try id(options, "reuid", command: command)
        let gid = try id(options, "regid", command: command)
        let ambient = try options.value("ambient-caps").map { text throws(CommandError) in try changes(text, option: "ambient-caps", command: command) } ?? []
        // The permitted set would go with uid 0, and an ambient capability must be permitted.
        if uid != nil, !ambient.isEmpty { operations.append(.keepCapabilities) }
        if options.has("clear-groups"), options.has("keep-groups") {
            throw fail("--clear-groups and --keep-groups exclude each other", "choose one: --clear-groups drops root's supplementary groups, --keep-groups leaves them")
        }
        if let gid {
            guard options.has("clear-groups") || options.has("keep-groups") else {
                throw fail("--regid needs --clear-groups or --keep-groups", "as setpriv(1): say whether the supplementary groups go (--clear-groups) or stay (--keep-groups)")
            }
            operations.append(.setGroupIDs(gid))
        }
        if options.has("clear-groups") { operations.append(.clearSupplementaryGroups) }
        if let uid { operations.append(.setUserIDs(uid)) }
        if let text = options.value("inh-caps") {
            var add = CapabilitySet(mask: 0), remove = CapabilitySet(mask: 0)
            for change in try changes(text, option: "inh-caps", command: command) {
                // `-all` clears every bit, so the new set no longer depends on the old one.
                let named = change.capability.map { CapabilitySet([$0]) } ?? CapabilitySet(mask: change.add ? CapabilitySet(Capability.all()).mask : .max)
                // The child sets (old & ~remove) | add: an added capability wins over a removal.
                if change.add { add.mask |= named.mask } else { remove.mask |= named.mask; add.mask &= ~named.mask }
            }
            operations.append(.setInheritable(add: add, remove: remove))
        }
        for change in ambient {
            switch (change.add, change.capability) {
            case (false, nil): operations.append(.ambient(.clearAll))
            case (true, nil): operations += Capability.all().map { .ambient(.raise($0)) }
            case (true, let capability?): operations.append(.ambient(.raise(capability)))
            case (false, let capability?): operations.append(.ambient(.lower(capability)))
            }
        }
        return operations
    }

    /// setpriv's CAPS: `+NAME` or `-NAME` (or `all`), comma-separated.
    static func changes(_ text: String, option: String, command: String) throws(CommandError) -> [Change] {
        let items = text.split(separator: ",", omittingEmptySubsequences: false)
        let known = Capability.all().count
        var changes: [Change] = []
        for item in items {
            guard let sign = item.first, sign == "+" || sign == "-" else {
                throw CommandError(message: "\(command): --\(option): '\(item)' needs a sign", cause: "write +NAME to add or -NAME to remove, as setpriv(1): -all,+chown,+net_bind_service")
            }
            let name = String(item.dropFirst())
            if name == "all" {
                changes.append(Change(add: sign == "+", capability: nil))
                continue
            }
            guard let capability = Capability(name: name), capability.number < known else {
                throw CommandError(message: "\(command): --\(option): unknown capability '\(name)'",
                                   cause: "names are those of capabilities(7), with or without cap_: chown, net_raw, sys_admin…")
            }
            changes.append(Change(add: sign == "+", capability: capability))
        }
        return changes
    }

    private static func id(_ options: ParsedOptions, _ key: String, command: String) throws(CommandError) -> UInt32? {
        guard let text = options.value(key) else { return nil }
        guard let id = UInt32(text), id != UInt32.max else {
            throw CommandError(message: "\(command): --\(key): '\(text)' is not an id", cause: "give a number, such as 1000 (names are not looked up)")
        }
        return id
    }

    /// Why the child's call failed, for the calls these options make.
    static func cause(of error: KernelError) -> String? {
        switch (error.call, error.errno) {
        case ("setresuid", .EINVAL), ("setresgid", .EINVAL):
            "that id is not mapped in the process's user namespace (its uid_map/gid_map): give one it maps"
        case ("setresuid", .EPERM), ("setresgid", .EPERM), ("setgroups", .EPERM):
            "changing ids needs CAP_SETUID/CAP_SETGID (a dropped bounding set, or a gid_map written after setgroups was denied, takes it away)"
        case ("prctl", .EPERM) where error.arguments.first == "PR_CAP_AMBIENT":
            "a capability can be ambient only while it is permitted and inheritable: add it with --inh-caps +NAME first"
        case ("prctl", .EPERM):
            "dropping from the bounding set needs CAP_SETPCAP"
        case ("capset", .EPERM):
            "a capability enters the inheritable set only from the permitted set or the bounding set allows it: is it dropped, or gone with the change of uid?"
        default: nil
        }
    }
}
