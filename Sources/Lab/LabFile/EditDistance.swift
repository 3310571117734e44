/// Typo distance between two words: insertions, deletions, substitutions and swaps of
/// neighbouring characters each cost 1 (optimal string alignment), so `rnu` is one edit
/// from `run` — a swap is the commonest typo and plain Levenshtein would charge it 2.
func editDistance(_ a: String, _ b: String) -> Int {
    let a = Array(a), b = Array(b)
    if a.isEmpty { return b.count }
    if b.isEmpty { return a.count }
    var twoBack = [Int](repeating: 0, count: b.count + 1)
    var previous = Array(0...b.count)
    var current = [Int](repeating: 0, count: b.count + 1)
    for i in 1...a.count {
        current[0] = i
        for j in 1...b.count {
            let cost = a[i - 1] == b[j - 1] ? 0 : 1
            current[j] = min(previous[j] + 1, current[j - 1] + 1, previous[j - 1] + cost)
            if i > 1, j > 1, a[i - 1] == b[j - 2], a[i - 2] == b[j - 1] {
                current[j] = min(current[j], twoBack[j - 2] + 1)
            }
        }
        (twoBack, previous, current) = (previous, current, twoBack)
    }
    return previous[b.count]
}

/// The candidate closest to `word` if it is within `maximumDistance` edits; ties go to
/// the earlier candidate so suggestions are stable.
func nearest(to word: String, in candidates: [String], maximumDistance: Int) -> String? {
    var best: (candidate: String, distance: Int)?
    for candidate in candidates {
        let distance = editDistance(word, candidate)
        if distance <= maximumDistance, distance < best?.distance ?? .max {
            best = (candidate, distance)
        }
    }
    return best?.candidate
}
