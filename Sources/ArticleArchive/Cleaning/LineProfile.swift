/// What the cleaner measures of one line of text: its words and the signals that mark it as chrome.
struct LineProfile {
    /// The line, trimmed.
    let text: Substring
    /// Length in words, a CJK character counting half a word.
    let units: Double
    /// Whether the line ends like a sentence.
    let endsSentence: Bool
    /// FNV-1a of the line's exact bytes, to find lines repeated on the page.
    let exactHash: UInt64
    /// Counts gathered from the line's tokens in one pass.
    private let stats: TokenStatistics

    init(_ text: Substring) {
        self.text = text
        var hash = WordTokenizer.offsetBasis
        for byte in text.utf8 { hash = (hash ^ UInt64(byte)) &* WordTokenizer.prime }
        exactHash = hash
        var stats = TokenStatistics()
        WordTokenizer.visitTokens(text, &stats)
        self.stats = stats
        units = Double(stats.tokens - stats.cjk) + Double(stats.cjk) / 2
        if let last = text.utf8.last, last < 0x80 {
            endsSentence = Self.asciiSentenceEnds.contains(last)
        } else {
            endsSentence = text.unicodeScalars.last.map { Self.sentenceEnds.contains($0) } ?? false
        }
    }

    // MARK: - Signals

    /// How many lexicon words and phrases the line holds (`©` counts as one).
    var chromeTermCount: Int {
        stats.chromeTerms + (text.utf8.contains(0xA9) && text.containsUTF8("©") ? 1 : 0)
    }

    /// The lexicon words and phrases found in the line, for explanations.
    var chromeTerms: [String] {
        let tokens = WordTokenizer.tokens(text)
        var found: [String] = []
        for (position, token) in tokens.enumerated() {
            if let word = ChromeLexicon.wordByHash[token.hash] { found.append(word) }
            if position + 1 < tokens.count,
               let phrase = ChromeLexicon.phraseByHash[WordTokenizer.phraseHash(token.hash, tokens[position + 1].hash)] {
                found.append(phrase)
            }
        }
        if text.utf8.contains(0xA9), text.containsUTF8("©") { found.append("©") }
        return found
    }

    /// Tokens that belong to dates and times: numbers, month and weekday names, `GMT`, `am`, `updated`…
    var dateTokenCount: Int { stats.dateTokens }

    /// Whether the line holds a clock time such as `12:44`.
    var hasClockTime: Bool {
        let bytes = Array(text.utf8)
        guard bytes.count >= 4 else { return false }
        func isDigit(_ byte: UInt8) -> Bool { byte >= 0x30 && byte <= 0x39 }
        for position in 1..<(bytes.count - 2) where bytes[position] == UInt8(ascii: ":") {
            if isDigit(bytes[position - 1]) && isDigit(bytes[position + 1]) && isDigit(bytes[position + 2]) {
                return true
            }
        }
        return false
    }

    /// A short line that is only a date, or a line with a timestamp glued to a headline.
    var isDateLine: Bool {
        guard stats.tokens > 0 else { return false }
        let dates = dateTokenCount
        if units <= 10 && Double(dates) >= 0.6 * Double(stats.tokens) && stats.numbers > 0 {
            return true
        }
        return dates >= 3 && !endsSentence && hasClockTime
    }

    /// A media, video or embed id: a short line holding a long number, or a line made of id-like tokens
    /// (hexadecimal or digit runs with a digit in them, as in UUIDs and video ids).
    var isMediaID: Bool {
        guard units <= 30, stats.tokens > 0 else { return false }
        if units <= 8 && stats.hasLongID { return true }
        return !endsSentence && stats.idTokens >= 2 && Double(stats.idTokens) >= 0.6 * Double(stats.tokens)
    }

    /// A photo caption or credit: a line that ends in a credit (`… in Benghazi. AP`) or starts like `Photo:`.
    var isCaption: Bool {
        guard units <= 40, let last = stats.lastHash else { return false }
        if !endsSentence && ChromeLexicon.photoCreditHashes.contains(last) { return true }
        guard units <= 30, text.utf8.contains(UInt8(ascii: ":")) || text.utf8.contains(UInt8(ascii: "(")) else {
            return false
        }
        let head = text.utf8.prefix(64).map { $0 >= 0x41 && $0 <= 0x5A ? $0 | 0x20 : $0 }
        return ChromeLexicon.captionPrefixBytes.contains { needle in
            head.count >= needle.count && (0...(head.count - needle.count)).contains { start in
                head[start..<(start + needle.count)].elementsEqual(needle)
            }
        }
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
        guard text.utf8.contains(UInt8(ascii: "&")) else { return false }
        return text.containsUTF8("&nbsp;") || text.containsUTF8("&amp;") || text.containsUTF8("&quot;")
    }

    /// A teaser: a line cut off with an ellipsis, as related-article lists show them.
    var isTeaser: Bool {
        units <= 40 && (text.utf8.last == UInt8(ascii: ".") && text.hasSuffix("...") || text.hasSuffix("…"))
    }

    // MARK: - Characters

    private static let asciiSentenceEnds: Set<UInt8> = Set(".!?:;\")]".utf8)
    private static let sentenceEnds: Set<Unicode.Scalar> = [
        ".", "!", "?", "。", "！", "？", "…", ":", ";", "\"", "”", "’", "»", ")", "]", "؟", "।", "۔",
    ]
}

/// What `LineProfile` counts while the tokenizer walks a line.
private struct TokenStatistics: WordTokenizer.Visitor {
    var tokens = 0
    var cjk = 0
    var numbers = 0
    var dateTokens = 0
    var chromeTerms = 0
    var idTokens = 0
    var hasLongID = false
    var lastHash: UInt64?

    mutating func visit(_ token: WordTokenizer.Token) {
        tokens += 1
        if token.isCJK { cjk += 1 }
        if token.isNumber { numbers += 1 }
        if token.isNumber || ChromeLexicon.dateWordHashes.contains(token.hash) { dateTokens += 1 }
        if ChromeLexicon.wordHashes.contains(token.hash) { chromeTerms += 1 }
        if let previous = lastHash, ChromeLexicon.phraseHashes.contains(WordTokenizer.phraseHash(previous, token.hash)) {
            chromeTerms += 1
        }
        if token.isHexWithDigit && token.length >= 4 {
            idTokens += 1
            if token.length >= 6 && (token.isNumber || token.length >= 8) { hasLongID = true }
        }
        lastHash = token.hash
    }
}
