import Foundation

/// Picks the article's headline among the lines dropped above the body.
///
/// A candidate is 3 to 30 words, not a sentence, not chrome-worded or a date, within the 12 lines above the body.
/// Candidates score for a `Title | Site` form, for being repeated on the page (page title and heading), and for
/// title case; the best wins, the one nearest the body on a tie. A trailing ` | Site Name` is cut off.
enum HeadlineFinder {
    static func headline(_ profiles: [LineProfile], kept: [Bool]) -> (index: Int, text: String)? {
        guard let bodyStart = kept.firstIndex(of: true) else { return nil }
        var counts: [UInt64: Int] = [:]
        for profile in profiles[..<bodyStart] { counts[profile.exactHash, default: 0] += 1 }
        var best: (index: Int, text: String, score: Int)?
        for index in stride(from: bodyStart - 1, through: max(0, bodyStart - 12), by: -1) {
            let profile = profiles[index]
            guard profile.units >= 3, profile.units <= 30, !profile.text.hasSuffix("."), profile.chromeTermCount == 0,
                  !profile.isDateLine, !profile.isMediaID, !profile.isCaption, !profile.hasMarkup
            else { continue }
            let (title, hadSiteSuffix) = stripSiteSuffix(profile.text)
            var score = 0
            if hadSiteSuffix { score += 3 }
            if counts[profile.exactHash, default: 0] > 1 { score += 2 }
            if titleCaseShare(title) >= 0.5 { score += 1 }
            if best == nil || score > best!.score { best = (index, title, score) }
        }
        return best.map { ($0.index, $0.text) }
    }

    /// Cuts ` | Site`, ` - Site` or ` – Site` when the part after the last separator is short.
    static func stripSiteSuffix(_ line: Substring) -> (String, Bool) {
        for separator in [" | ", " – ", " — ", " - ", " :: "] {
            // Foundation's search also matches canonically equivalent text, which for these separators is only
            // the same bytes: a line without them is passed over without it.
            guard line.containsUTF8(separator), let range = line.range(of: separator, options: .backwards) else {
                continue
            }
            let site = line[range.upperBound...]
            let head = line[..<range.lowerBound].trimmingCharacters(in: .whitespaces)
            if site.split(separator: " ").count <= 8, head.split(separator: " ").count >= 3 {
                return (head, true)
            }
        }
        return (String(line), false)
    }

    private static func titleCaseShare(_ text: String) -> Double {
        let words = text.split(separator: " ").filter { $0.first?.isLetter == true }
        guard !words.isEmpty else { return 0 }
        return Double(words.filter { $0.first!.isUppercase }.count) / Double(words.count)
    }
}
