import Foundation

/// Picks the article's headline among the lines dropped above the body.
///
/// A candidate is 3 to 30 words, not a sentence, not chrome-worded or a date, within the 12 lines above the body.
/// Candidates score for a `Title | Site` form, for being repeated on the page (page title and heading), and for
/// title case; the best wins, the one nearest the body on a tie. A trailing ` | Site Name` is cut off.
enum HeadlineFinder {
    /// - Parameter text: a line's text.
    static func headline(
        _ profiles: [LineProfile], kept: [Bool], text: (LineProfile) -> Substring
    ) -> (index: Int, text: String)? {
        guard let bodyStart = kept.firstIndex(of: true) else { return nil }
        /// Whether the line at `index` occurs again above the body (a dozen candidates against a few dozen lines: a
        /// scan costs less than a dictionary of them).
        func isRepeated(_ index: Int) -> Bool {
            let hash = profiles[index].exactHash
            return profiles[..<bodyStart].indices.contains { $0 != index && profiles[$0].exactHash == hash }
        }
        var best: (index: Int, text: String, score: Int)?
        for index in stride(from: bodyStart - 1, through: max(0, bodyStart - 12), by: -1) {
            let profile = profiles[index]
            guard profile.units >= 3, profile.units <= Double(LineProfile.shortLineUnits),
                  profile.chromeTermCount == 0, !profile.isDateLine, !profile.isMediaID, !profile.isCaption,
                  !profile.hasMarkup
            else { continue }
            let line = text(profile)
            guard !line.hasSuffix(".") else { continue }
            let (title, hadSiteSuffix) = stripSiteSuffix(line)
            var score = 0
            if hadSiteSuffix { score += 3 }
            if isRepeated(index) { score += 2 }
            if titleCaseShare(title) >= 0.5 { score += 1 }
            if best == nil || score > best!.score { best = (index, title, score) }
        }
        return best.map { ($0.index, $0.text) }
    }

    /// What may stand between a title and its site's name, with their UTF-8.
    private static let siteSeparators: [(String, [UInt8])] = [" | ", " – ", " — ", " - ", " :: "].map {
        ($0, Array($0.utf8))
    }

    /// Cuts ` | Site`, ` - Site` or ` – Site` when the part after the last separator is short.
    static func stripSiteSuffix(_ line: Substring) -> (String, Bool) {
        for (separator, pattern) in siteSeparators {
            guard let range = lastRange(of: separator, pattern, in: line) else { continue }
            let site = line[range.upperBound...]
            let head = trimmedSpaces(line[..<range.lowerBound])
            if wordCount(site) <= 8, wordCount(head) >= 3 {
                return (head, true)
            }
        }
        return (String(line), false)
    }

    /// `text.split(separator: " ").count`, counted on the bytes when the text is ASCII (where a space byte is a space
    /// Character: no combining mark can follow it).
    private static func wordCount(_ text: some StringProtocol) -> Int {
        let bytes = text.utf8
        guard bytes.allSatisfy({ $0 < 0x80 }) else { return text.split(separator: " ").count }
        return ByteScanning.spaceSeparatedRuns(in: bytes)
    }

    /// The text without spaces and tabs (Unicode's, as `trimmingCharacters(in: .whitespaces)`) at either end; ends
    /// that are visible ASCII characters, the usual case, need no Foundation call.
    private static func trimmedSpaces(_ text: Substring) -> String {
        if TextScanning.hasVisibleASCIIEnds(text.utf8) { return String(text) }
        return text.trimmingCharacters(in: .whitespaces)
    }

    /// The last occurrence of `separator` in `line`, as Foundation's backwards search finds it: its bytes with
    /// ASCII on either side (where canonical equivalence and composed characters cannot come into it), else asked
    /// of Foundation itself. A separator's bytes are the only text canonically equivalent to it, so a line without
    /// them has none.
    private static func lastRange(
        of separator: String, _ pattern: [UInt8], in line: Substring
    ) -> Range<Substring.Index>? {
        let bytes = line.utf8
        let count = bytes.count
        guard count >= pattern.count else { return nil }
        let search: (found: Int, asciiAround: Bool)?? = bytes.withContiguousStorageIfAvailable { bytes in
            var start = count - pattern.count
            while start >= 0 {
                if bytes[start] == pattern[0], memcmp(bytes.baseAddress! + start, pattern, pattern.count) == 0 {
                    let end = start + pattern.count
                    return (start, (start == 0 || bytes[start - 1] < 0x80) && (end == count || bytes[end] < 0x80))
                }
                start -= 1
            }
            return nil
        }
        guard let search else { return line.range(of: separator, options: .backwards) }
        guard let (found, asciiAround) = search else { return nil }
        guard asciiAround else { return line.range(of: separator, options: .backwards) }
        let lower = bytes.index(bytes.startIndex, offsetBy: found)
        return lower..<bytes.index(lower, offsetBy: pattern.count)
    }

    private static func titleCaseShare(_ text: String) -> Double {
        if text.utf8.allSatisfy({ $0 < 0x80 }) {
            // ASCII: words between spaces, letters A-Z and a-z; the same answer as the Character properties below.
            var words = 0, capitalised = 0, atWordStart = true
            for byte in text.utf8 {
                if byte == 0x20 {
                    atWordStart = true
                    continue
                }
                if atWordStart {
                    if byte.isASCIILetter {
                        words += 1
                        if byte <= 0x5A { capitalised += 1 }
                    }
                    atWordStart = false
                }
            }
            return words == 0 ? 0 : Double(capitalised) / Double(words)
        }
        let words = text.split(separator: " ").filter { $0.first?.isLetter == true }
        guard !words.isEmpty else { return 0 }
        return Double(words.filter { $0.first!.isUppercase }.count) / Double(words.count)
    }
}
