/// Finds the article body in a sequence of line scores: the maximum-sum run of lines (content lines score
/// positive, short and chrome lines negative), plus any further runs that score at least `secondaryShare` of it
/// and `minimumScore` in all (an article split by a table, a list of links, or an inline ad block).
struct BodySegmenter {
    var secondaryShare = 0.12
    var minimumScore = 12.0

    /// The index ranges of the chosen runs, in order.
    func segments(_ scores: [Double]) -> [ClosedRange<Int>] {
        var chosen: [ClosedRange<Int>] = []
        var pending: [Range<Int>] = [0..<scores.count]
        var best: Double?
        while let range = pending.popLast() {
            guard !range.isEmpty, let (score, run) = Self.maximumRun(scores, in: range) else { continue }
            if best == nil { best = score }
            guard score > 0, score >= secondaryShare * best!, chosen.isEmpty || score > minimumScore else { continue }
            chosen.append(run)
            pending.append(range.lowerBound..<run.lowerBound)
            pending.append((run.upperBound + 1)..<range.upperBound)
        }
        return chosen.sorted { $0.lowerBound < $1.lowerBound }
    }

    /// Kadane's algorithm over `range`.
    private static func maximumRun(_ scores: [Double], in range: Range<Int>) -> (Double, ClosedRange<Int>)? {
        var best = -Double.infinity
        var bestRun: ClosedRange<Int>?
        var current = 0.0
        var start = range.lowerBound
        for index in range {
            if current <= 0 {
                current = scores[index]
                start = index
            } else {
                current += scores[index]
            }
            if current > best {
                best = current
                bestRun = start...index
            }
        }
        return bestRun.map { (best, $0) }
    }
}
