import Foundation

/// What the cleaner measures of one line of text: its words and the signals that mark it as chrome.
struct LineProfile {
    /// The line, trimmed.
    let text: Substring
    /// Lower-cased word tokens (runs of letters, digits and marks); CJK characters are tokens of their own.
    let words: [Substring]
    /// Length in words, a CJK character counting half a word.
    let units: Double
    /// Whether the line ends like a sentence.
    let endsSentence: Bool

    init(_ text: Substring) {
        self.text = text
        let lowered = text.lowercased()
        var words: [Substring] = []
        var cjk = 0
        var start: String.Index?
        var index = lowered.startIndex
        for scalar in lowered.unicodeScalars {
            let next = lowered.unicodeScalars.index(after: index)
            if scalar.value >= 0x3040 && Self.isCJK(scalar) {
                if let wordStart = start { words.append(lowered[wordStart..<index]); start = nil }
                words.append(lowered[index..<next])
                cjk += 1
            } else if scalar.isWordCharacter {
                if start == nil { start = index }
            } else if let wordStart = start {
                words.append(lowered[wordStart..<index])
                start = nil
            }
            index = next
        }
        if let wordStart = start { words.append(lowered[wordStart..<lowered.endIndex]) }
        self.words = words
        units = Double(words.count - cjk) + Double(cjk) / 2
        endsSentence = text.unicodeScalars.last.map { Self.sentenceEnds.contains($0) } ?? false
    }

    // MARK: - Signals

    /// Lexicon words and phrases found in the line (`©` counts as one).
    var chromeTerms: [String] {
        var found: [String] = words.filter { ChromeLexicon.words.contains($0) }.map { String($0) }
        if words.count >= 2 {
            for position in 0..<(words.count - 1) {
                let phrase = String(words[position]) + " " + String(words[position + 1])
                if ChromeLexicon.phrases.contains(phrase) { found.append(phrase) }
            }
        }
        if text.containsUTF8("©") { found.append("©") }
        return found
    }

    /// Tokens that belong to dates and times: numbers, month and weekday names, `GMT`, `am`, `updated`…
    var dateTokenCount: Int {
        words.filter { word in
            word.isASCIINumber || ChromeLexicon.months.contains(word) || ChromeLexicon.timeWords.contains(word)
        }.count
    }

    /// Whether the line holds a clock time such as `12:44`.
    var hasClockTime: Bool {
        let scalars = Array(text.unicodeScalars)
        guard scalars.count >= 4 else { return false }
        for position in 1..<(scalars.count - 2) where scalars[position] == ":" {
            if scalars[position - 1].properties.numericType != nil,
               scalars[position + 1].properties.numericType != nil,
               scalars[position + 2].properties.numericType != nil {
                return true
            }
        }
        return false
    }

    /// A short line that is only a date, or a line with a timestamp glued to a headline.
    var isDateLine: Bool {
        guard !words.isEmpty else { return false }
        let dates = dateTokenCount
        if units <= 10 && Double(dates) >= 0.6 * Double(words.count) && words.contains(where: \.isASCIINumber) {
            return true
        }
        return dates >= 3 && hasClockTime && !endsSentence
    }

    /// A media, video or embed id: a short line holding a long number, or a line made of id-like tokens
    /// (hexadecimal or digit runs with a digit in them, as in UUIDs and video ids).
    var isMediaID: Bool {
        func isIDToken(_ word: Substring) -> Bool {
            word.utf8.count >= 4 && word.utf8.contains { $0 >= 0x30 && $0 <= 0x39 }
                && word.utf8.allSatisfy { ($0 >= 0x30 && $0 <= 0x39) || ($0 >= 0x61 && $0 <= 0x66) }
        }
        guard units <= 30, !words.isEmpty else { return false }
        let idTokens = words.filter(isIDToken)
        if units <= 8 && idTokens.contains(where: { $0.utf8.count >= 6 }) { return true }
        return !endsSentence && Double(idTokens.count) >= 0.6 * Double(words.count) && idTokens.count >= 2
    }

    /// A photo caption or credit: a line that ends in a credit (`… in Benghazi. AP`) or starts like `Photo:`.
    var isCaption: Bool {
        guard units <= 40, let last = words.last else { return false }
        if !endsSentence && ChromeLexicon.photoCredits.contains(last) { return true }
        guard units <= 30 else { return false }
        let lowered = Substring(text.prefix(64).lowercased())
        return ChromeLexicon.captionPrefixes.contains { lowered.containsUTF8($0) }
    }

    /// Markup that leaked into the text: tags or HTML entities.
    var hasMarkup: Bool {
        var sawTagStart = false
        var previous: UInt8 = 0
        for byte in text.utf8 {
            if previous == UInt8(ascii: "<") && (byte == UInt8(ascii: "/") || (byte | 0x20 >= 0x61 && byte | 0x20 <= 0x7A)) {
                sawTagStart = true
            } else if sawTagStart && byte == UInt8(ascii: ">") {
                return true
            }
            previous = byte
        }
        return text.containsUTF8("&nbsp;") || text.containsUTF8("&amp;") || text.containsUTF8("&quot;")
    }

    /// A teaser: a line cut off with an ellipsis, as related-article lists show them.
    var isTeaser: Bool {
        units <= 40 && (text.hasSuffix("...") || text.hasSuffix("…"))
    }

    // MARK: - Characters

    private static let sentenceEnds: Set<Unicode.Scalar> = [
        ".", "!", "?", "。", "！", "？", "…", ":", ";", "\"", "”", "’", "»", ")", "]", "؟", "।", "۔",
    ]

    private static func isCJK(_ scalar: Unicode.Scalar) -> Bool {
        switch scalar.value {
        case 0x3040...0x30FF, 0x3400...0x4DBF, 0x4E00...0x9FFF, 0xAC00...0xD7AF, 0xF900...0xFAFF: true
        default: false
        }
    }
}
