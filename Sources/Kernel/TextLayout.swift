// Foundation's trimmingCharacters(in:), padding(toLength:withPad:startingAt:) and
// String(format:) live in swift-corelibs-foundation, which brings ICU and CoreFoundation
// with it; BoxLab links only FoundationEssentials, so that it starts in a few milliseconds
// (a container's start is what `boxlab container run` is measured by).
extension StringProtocol {
    /// The text without the spaces and tabs at either end, as `.whitespaces` trims.
    public func trimmingWhitespace() -> String {
        trimming { $0 == "\t" || $0.properties.generalCategory == .spaceSeparator }
    }

    /// The text without the white space and line breaks at either end, as `.whitespacesAndNewlines` trims.
    public func trimmingWhitespaceAndNewlines() -> String {
        trimming { $0.properties.isWhitespace }
    }

    private func trimming(_ isTrimmed: (Unicode.Scalar) -> Bool) -> String {
        let scalars = unicodeScalars
        guard let first = scalars.firstIndex(where: { !isTrimmed($0) }),
              let last = scalars.lastIndex(where: { !isTrimmed($0) }) else { return "" }
        return String(String.UnicodeScalarView(scalars[first...last]))
    }

    /// The text in a column `width` characters wide: filled with spaces on the right, or cut.
    public func padding(toWidth width: Int) -> String {
        count >= width ? String(prefix(width)) : self + String(repeating: " ", count: width - count)
    }
}

extension Double {
    /// The number with `places` digits after the point, as `%.3f` writes it for places 3.
    public func formatted(places: Int) -> String {
        var scale = 1.0
        for _ in 0..<places { scale *= 10 }
        let units = Int((abs(self) * scale).rounded())
        let whole = String(units / Int(scale)), fraction = String(units % Int(scale))
        let sign = self < 0 && units != 0 ? "-" : ""
        guard places > 0 else { return sign + whole }
        return sign + whole + "." + String(repeating: "0", count: places - fraction.count) + fraction
    }
}
