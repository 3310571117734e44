import Kernel

extension Command {
    /// cgexec(1) of libcgroup: a program placed in cgroups before it runs (see
    /// `ProcessLaunch.cgroups`: cloned into a v2 group, or the child joins v1 groups first
    /// thing). PATH is relative to the lab's cgroup root (`$memory`, `$cgroup`…).
    static let cgexec = Command(
        "cgexec", usage: "cgexec -g CONTROLLER[,CONTROLLER...]:PATH PROGRAM [ARG...] [&]",
        summary: "run a program in cgroups of the lab", options: [.value("g", nil)], optionsEndAtFirstOperand: true,
        startsPrograms: true
    ) { call in
        let groups = call.options.allValues("g")
        guard !groups.isEmpty else { throw call.failure("which cgroup?", cause: "name it: cgexec -g memory:demo PROGRAM") }
        var launch = ProcessLaunch(program: call.operands)
        launch.cgroups = try call.cgroupDirectories(groups)
        try call.launch(launch)
    }
}

extension Invocation {
    /// The directories that `-g CONTROLLER[,CONTROLLER...]:PATH` options name, below the lab's
    /// cgroups (`$memory`, `$cgroup`…); each must exist.
    func cgroupDirectories(_ groups: [String]) throws -> [String] {
        var directories: [String] = []
        for group in groups {
            let parts = group.split(separator: ":", maxSplits: 1).map(String.init)
            guard parts.count == 2, !parts[1].isEmpty else { throw failure("'\(group)' is not CONTROLLERS:PATH", cause: "such as memory:demo or memory,pids:demo") }
            for controller in parts[0].split(separator: ",").map(String.init) {
                guard let root = workbench.variables.value(controller), CgroupController(rawValue: controller) != nil else {
                    throw failure("no lab cgroups for \(controller)", cause: "this lab has cgroups for memory, pids, cpu and freezer (requires: [cgroups] in its front matter)")
                }
                // The lab's cgroup directories are BoxLab's (a lab may reassign $memory): the group must be below one.
                let directory = try path(root + "/" + parts[1], for: .write)
                guard Trace.untraced({ (try? FileSystem.stat(directory)) != nil }) else {
                    throw failure("cgroup \(parts[1]) does not exist in the \(controller) hierarchy", cause: "make it first: mkdir \(workspace.display(directory))")
                }
                if !directories.contains(directory) { directories.append(directory) }
            }
        }
        return directories
    }
}
