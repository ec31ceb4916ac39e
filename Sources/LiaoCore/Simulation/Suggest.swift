/// "Did you mean …?" for misspelt keys.
public enum Suggest {
    /// The candidate closest to `word` by edit distance, if it is close enough to be a likely typo.
    public static func nearest(_ word: String, among candidates: [String]) -> String? {
        // A shortened name ("household.recruits") points at the one it starts.
        let extensions = candidates.filter { $0.hasPrefix(word) }
        if word.count >= 4 && extensions.count == 1 { return extensions[0] }
        var best: (String, Int)? = nil
        for c in candidates {
            let d = editDistance(word, c)
            if best == nil || d < best!.1 { best = (c, d) }
        }
        guard let (candidate, distance) = best else { return nil }
        let limit = max(2, min(word.count, candidate.count) / 3)
        return distance <= limit ? candidate : nil
    }

    /// `" (did you mean 'x'?)"` or an empty string.
    public static func didYouMean(_ word: String, among candidates: [String]) -> String {
        guard let n = nearest(word, among: candidates) else { return "" }
        return " (did you mean '\(n)'?)"
    }

    /// For a name given on the command line: `didYouMean`, else the names
    /// that begin with `word` when there are several (`va.hospitality`), else
    /// every name when there are at most `listed` of them, else "".
    public static func hint(_ word: String, among candidates: [String], listed: Int = 12) -> String {
        let near = didYouMean(word, among: candidates)
        if !near.isEmpty { return near }
        let extensions = word.isEmpty ? [] : candidates.filter { $0.hasPrefix(word) }
        if extensions.count > 1 && extensions.count <= 8 {
            return " (did you mean one of \(extensions.map { "'\($0)'" }.joined(separator: ", "))?)"
        }
        if !candidates.isEmpty && candidates.count <= listed {
            return "; choose from \(candidates.joined(separator: ", "))"
        }
        return ""
    }

    /// Levenshtein distance between two strings.
    public static func editDistance(_ a: String, _ b: String) -> Int {
        let a = Array(a.unicodeScalars), b = Array(b.unicodeScalars)
        if a.isEmpty { return b.count }
        if b.isEmpty { return a.count }
        var previous = Array(0...b.count)
        var current = [Int](repeating: 0, count: b.count + 1)
        for i in 1...a.count {
            current[0] = i
            for j in 1...b.count {
                let cost = a[i - 1] == b[j - 1] ? 0 : 1
                current[j] = min(previous[j] + 1, current[j - 1] + 1, previous[j - 1] + cost)
            }
            swap(&previous, &current)
        }
        return previous[b.count]
    }
}
