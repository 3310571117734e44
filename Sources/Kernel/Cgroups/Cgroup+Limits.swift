/// A CPU bandwidth limit: at most `quota` µs of CPU time in every `period` µs.
public struct CPULimit: Sendable, Hashable, CustomStringConvertible {
    public var quota: CgroupLimit
    public var period: UInt64

    public init(quota: CgroupLimit, period: UInt64 = 100_000) {
        self.quota = quota
        self.period = period
    }

    /// `10000/100000`, `max/100000`.
    public var description: String { "\(quota)/\(period)" }
}

extension Cgroup {
    // MARK: Memory

    /// Sets the memory limit so that exceeding it kills: swap is limited too where the kernel
    /// accounts it (v2 memory.swap.max = 0; v1 memory.memsw.limit_in_bytes, which counts
    /// memory plus swap, equal to the limit). Returns the files written.
    @discardableResult
    public func setMemoryLimit(_ limit: CgroupLimit) throws -> [String] {
        let place = try place(.memory)
        let directory = place.directory
        switch place.version {
        case .v2:
            var written = [directory + "/memory.max"]
            try Self.write(written[0], limit.description)
            let swap = directory + "/memory.swap.max"
            if Self.exists(swap) {
                try Self.write(swap, limit == .max ? "max" : "0")
                written.append(swap)
            }
            return written
        case .v1:
            let memory = directory + "/memory.limit_in_bytes", memsw = directory + "/memory.memsw.limit_in_bytes"
            guard Self.exists(memsw) else {
                try Self.write(memory, limit.v1)
                return [memory]
            }
            // memsw may never be below the memory limit: raise it first, lower it last.
            let current = CgroupLimit(v1: try Self.read(memory))
            let raising = switch (limit, current) {
            case (.max, _): true
            case (.value, .max): false
            case (.value(let new), .value(let old)): new > old
            }
            let order = raising ? [memsw, memory] : [memory, memsw]
            for file in order { try Self.write(file, limit.v1) }
            return order
        }
    }

    public func memoryLimit() throws -> CgroupReading<CgroupLimit> {
        let place = try place(.memory)
        let file = place.directory + (place.version == .v2 ? "/memory.max" : "/memory.limit_in_bytes")
        let text = try Self.read(file)
        let value = place.version == .v2 ? ((try? CgroupLimit(count: text)) ?? .max) : CgroupLimit(v1: text)
        return CgroupReading(value: value, files: [file], text: text)
    }

    // MARK: Pids

    /// pids.max, the same file on both versions.
    @discardableResult
    public func setProcessLimit(_ limit: CgroupLimit) throws -> [String] {
        let file = try place(.pids).directory + "/pids.max"
        try Self.write(file, limit.description)
        return [file]
    }

    public func processLimit() throws -> CgroupReading<CgroupLimit> {
        let file = try place(.pids).directory + "/pids.max"
        let text = try Self.read(file)
        return CgroupReading(value: CgroupLimit(v1: text), files: [file], text: text)
    }

    // MARK: CPU

    /// v2 cpu.max `QUOTA PERIOD`; v1 cpu.cfs_period_us then cpu.cfs_quota_us (-1 for max).
    @discardableResult
    public func setCPULimit(_ limit: CPULimit) throws -> [String] {
        let place = try place(.cpu)
        switch place.version {
        case .v2:
            let file = place.directory + "/cpu.max"
            try Self.write(file, "\(limit.quota) \(limit.period)")
            return [file]
        case .v1:
            let quota = place.directory + "/cpu.cfs_quota_us", period = place.directory + "/cpu.cfs_period_us"
            try Self.write(period, String(limit.period))
            try Self.write(quota, limit.quota.v1)
            return [period, quota]
        }
    }

    public func cpuLimit() throws -> CgroupReading<CPULimit> {
        let place = try place(.cpu)
        switch place.version {
        case .v2:
            let file = place.directory + "/cpu.max"
            let text = try Self.read(file)
            let fields = text.split(separator: " ")
            let quota = fields.first.flatMap { try? CgroupLimit(count: String($0)) } ?? .max
            return CgroupReading(value: CPULimit(quota: quota, period: fields.count > 1 ? UInt64(fields[1]) ?? 0 : 0), files: [file], text: text)
        case .v1:
            let quota = place.directory + "/cpu.cfs_quota_us", period = place.directory + "/cpu.cfs_period_us"
            let quotaText = try Self.read(quota), periodText = try Self.read(period)
            return CgroupReading(value: CPULimit(quota: CgroupLimit(v1: quotaText), period: UInt64(periodText) ?? 0),
                                 files: [quota, period], text: "\(quotaText) + \(periodText)")
        }
    }
}
