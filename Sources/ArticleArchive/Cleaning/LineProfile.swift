#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif

/// What the cleaner measures of one line of text: its words and the signals that mark it as chrome, all found from
/// the line's tokens and a visit of its UTF-8 bytes (Character and Foundation APIs only where a byte test says they
/// may apply).
///
/// The rules read most signals of short lines only (a chrome word in a line of up to 12 units, a caption of up to
/// 40); a line longer than `detailedLineUnits` is measured only for what is read of it, which spares looking its
/// words up and hashing its bytes.
///
/// It holds no reference to the text (`ChromeCleaner` reads a line's text at its `byteRange`): the cleaner's rules
/// pass profiles around by the hundred per page, and a `Substring` in each cost a retain and a release per copy.
struct LineProfile {
    /// Where the line's bytes, trimmed, are in the text's UTF-8.
    let byteRange: Range<Int>
    /// Length in words, a CJK character counting half a word.
    let units: Double
    /// Whether the line ends like a sentence.
    let endsSentence: Bool
    /// FNV-1a of the line's exact bytes, to find lines repeated on the page, for lines of up to `shortLineUnits`
    /// (the only ones that are looked for); a longer line has a value of its own that no other line's has, its byte
    /// offset with the top bit set (an FNV-1a value equals it with probability 2^-64).
    let exactHash: UInt64
    /// `TemplateLine.hash` of the line, when the profile was made to be compared with a template.
    let templateHash: Int64?
    /// How many lexicon words and phrases the line holds (`©` counts as one), counted through its first
    /// `shortLineUnits`: the rules that read it look at shorter lines only (0 past `detailedLineUnits`).
    let chromeTermCount: Int
    /// Markup that leaked into the text: tags or HTML entities.
    let hasMarkup: Bool
    /// A teaser: a line cut off with an ellipsis, as related-article lists show them.
    let isTeaser: Bool
    /// A short line that is only a date, or a line with a timestamp glued to a headline.
    let isDateLine: Bool
    /// A media, video or embed id: a short line holding a long number, or a line made of id-like tokens
    /// (hexadecimal or digit runs with a digit in them, as in UUIDs and video ids).
    let isMediaID: Bool
    /// A photo caption or credit: a line that ends in a credit (`… in Benghazi. AP`) or starts like `Photo:`.
    let isCaption: Bool

    /// The longest line, in units, that chrome words say anything of (the longest headline).
    static let shortLineUnits = 30
    /// The longest line, in units, that any rule but markup and a glued timestamp reads (teasers and captions).
    static let detailedLineUnits = 40

    /// Profiles a trimmed, non-empty line of `text`, at `byteRange` in its UTF-8 (the line's `Substring` is made
    /// only if a rule needs more than its bytes: a `Substring` a line, or a closure making one, cost a retain and
    /// a release of the text).
    /// - Parameters:
    ///   - bytes: the line's UTF-8, the bytes at `byteRange` in the text's.
    ///   - templateHash: the line's `TemplateLine.hash`, when it is to be compared with a template.
    ///   - tokenBuffer: where the line's tokens are read into, a buffer at a time.
    ///   - words: the hashes of the line's words are appended to it, in order (what shingling takes).
    ///   - sawCompatibility: set when the line holds a letter whose NFKC form differs from it (shingles of such a
    ///     text are made from its NFKC form, whose words these hashes are not).
    init(
        in text: borrowing String, bytes: UnsafeBufferPointer<UInt8>, at byteRange: Range<Int>,
        templateHash: Int64?, tokenBuffer: UnsafeMutableBufferPointer<WordTokenizer.RawToken>, words: inout [UInt64],
        sawCompatibility: inout Bool
    ) {
        self.byteRange = byteRange
        self.templateHash = templateHash
        let endsSentence = Self.endsSentence(bytes)
        self.endsSentence = endsSentence
        var stats = TokenStatistics(endsSentence: endsSentence)
        var cursor = WordTokenizer.TokenCursor(bytes)
        // A buffer of tokens at a time, their hashes appended together: appended one by one, each paid for a
        // check that the array was not shared and had room.
        while !cursor.isFinished {
            let tokens = cursor.read(into: tokenBuffer)
            var index = 0
            while index < tokens.count {
                stats.visit(tokens[index])
                index += 1
            }
            words.append(contentsOf: tokens.lazy.map(\.hash))
        }
        if cursor.sawCompatibility { sawCompatibility = true }
        let halfUnits = stats.halfUnits
        let units = Double(halfUnits) / 2
        self.units = units

        guard halfUnits <= 2 * Self.detailedLineUnits else {
            // A long line: only markup and a timestamp glued to a line that is not a sentence are read of it.
            exactHash = Self.unrepeatedHash(at: byteRange)
            chromeTermCount = 0
            hasMarkup = Self.hasMarkup(bytes)
            isTeaser = false
            isDateLine = stats.dateTokens >= 3 && !endsSentence && Self.hasClockTime(bytes)
            isMediaID = false
            isCaption = false
            return
        }

        var hasCopyright = false, hasColonOrParenthesis = false
        var previous: UInt8 = 0
        var hash = WordTokenizer.offsetBasis
        var index = 0
        while index < bytes.count {
            let byte = bytes[index]
            hash = (hash ^ UInt64(byte)) &* WordTokenizer.prime
            if byte == 0xA9 && previous == 0xC2 { hasCopyright = true }  // "©"
            if byte == 0x3A || byte == 0x28 { hasColonOrParenthesis = true }  // ":" or "("
            previous = byte
            index += 1
        }
        exactHash = halfUnits <= 2 * Self.shortLineUnits ? hash : Self.unrepeatedHash(at: byteRange)
        hasMarkup = Self.hasMarkup(bytes)
        chromeTermCount = stats.chromeTerms + (hasCopyright ? 1 : 0)

        // An ellipsis at the end, as Characters: bytes first, then the exact test (a prepended mark can join them).
        let count = bytes.count
        let endsWithDots = count >= 3 && bytes[count - 1] == 0x2E && bytes[count - 2] == 0x2E && bytes[count - 3] == 0x2E
        let endsWithEllipsis = count >= 3 && bytes[count - 3] == 0xE2 && bytes[count - 2] == 0x80 && bytes[count - 1] == 0xA6
        isTeaser = units <= 40
            && (endsWithDots && Self.line(at: byteRange, in: text).hasSuffix("...")
                || endsWithEllipsis && Self.line(at: byteRange, in: text).hasSuffix("…"))

        if stats.tokens > 0 {
            let dates = stats.dateTokens
            isDateLine = units <= 10 && Double(dates) >= 0.6 * Double(stats.tokens) && stats.numbers > 0
                || dates >= 3 && !endsSentence && Self.hasClockTime(bytes)
        } else {
            isDateLine = false
        }

        if units <= 30 && stats.tokens > 0 {
            isMediaID = units <= 8 && stats.hasLongID
                || !endsSentence && stats.idTokens >= 2 && Double(stats.idTokens) >= 0.6 * Double(stats.tokens)
        } else {
            isMediaID = false
        }

        if units <= 40, let last = stats.lastHash {
            if !endsSentence && ChromeLexicon.tokenKinds.flags(of: last) & ChromeLexicon.photoCreditFlag != 0 {
                isCaption = true
            } else {
                isCaption = units <= 30 && hasColonOrParenthesis && Self.startsLikeCaption(bytes)
            }
        } else {
            isCaption = false
        }
    }

    /// The line of `text` at `byteRange` in its UTF-8.
    static func line(at byteRange: Range<Int>, in text: String) -> Substring {
        let utf8 = text.utf8
        let lower = utf8.index(utf8.startIndex, offsetBy: byteRange.lowerBound)
        return Substring(utf8[lower..<utf8.index(lower, offsetBy: byteRange.count)])
    }

    /// The lexicon words and phrases found in a line, for explanations.
    static func chromeTerms(in text: Substring) -> [String] {
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

    // MARK: - Byte tests

    /// Whether the line's last scalar ends a sentence.
    private static func endsSentence(_ bytes: UnsafeBufferPointer<UInt8>) -> Bool {
        guard let last = bytes.last else { return false }
        if last < 0x80 {
            // . ! ? : ; " ) ]
            return last == 0x2E || last == 0x21 || last == 0x3F || last == 0x3A || last == 0x3B || last == 0x22
                || last == 0x29 || last == 0x5D
        }
        var start = bytes.count - 1
        while start > 0 && bytes[start] & 0xC0 == 0x80 { start -= 1 }
        switch WordTokenizer.decodeScalar(bytes, at: start).value {
        case 0x3002, 0xFF01, 0xFF1F, 0x2026, 0x201D, 0x2019, 0x00BB, 0x061F, 0x0964, 0x06D4:  // 。！？…”’»؟।۔
            return true
        default: return false
        }
    }

    /// The `exactHash` of a line too long to be looked for among repeated lines: its byte offset with the top bit
    /// set, which no other line of the text has.
    private static func unrepeatedHash(at byteRange: Range<Int>) -> UInt64 {
        UInt64(byteRange.lowerBound) | 1 << 63
    }

    /// Whether markup leaked into the line: a tag (`<` then `/` or a letter, and a `>` after it) or an HTML entity.
    private static func hasMarkup(_ bytes: UnsafeBufferPointer<UInt8>) -> Bool {
        guard let base = bytes.baseAddress else { return false }
        var from = 0
        while from < bytes.count, let found = memchr(base + from, 0x3C, bytes.count - from) {
            let position = base.distance(to: found.assumingMemoryBound(to: UInt8.self))
            guard position + 1 < bytes.count else { break }
            let next = bytes[position + 1]
            if next == 0x2F || (next | 0x20 >= 0x61 && next | 0x20 <= 0x7A) {
                // A `>` after the first tag start is after it; with none, none is after a later one either.
                if position + 2 < bytes.count && memchr(base + position + 2, 0x3E, bytes.count - position - 2) != nil {
                    return true
                }
                break
            }
            from = position + 1
        }
        return memchr(base, 0x26, bytes.count) != nil && hasEntity(bytes)
    }

    /// Whether one of the HTML entities that leak into texts (`&nbsp;`, `&amp;`, `&quot;`) is in the line.
    private static func hasEntity(_ bytes: UnsafeBufferPointer<UInt8>) -> Bool {
        contains(bytes, "&nbsp;") || contains(bytes, "&amp;") || contains(bytes, "&quot;")
    }

    /// Whether the line holds a clock time such as `12:44`.
    private static func hasClockTime(_ bytes: UnsafeBufferPointer<UInt8>) -> Bool {
        guard bytes.count >= 4 else { return false }
        for position in 1..<(bytes.count - 2) where bytes[position] == 0x3A {
            if bytes[position - 1].isASCIIDigit && bytes[position + 1].isASCIIDigit
                && bytes[position + 2].isASCIIDigit {
                return true
            }
        }
        return false
    }

    /// Whether a caption prefix (`photo:`, `(image`…) occurs in the line's first 64 bytes, ASCII case ignored.
    private static func startsLikeCaption(_ bytes: UnsafeBufferPointer<UInt8>) -> Bool {
        let head = min(bytes.count, 64)
        let needlesByFirstByte = captionNeedlesByFirstByte
        let starts = captionStartBytes
        for start in 0..<head {
            // Most bytes start no prefix: one bit says so, without taking the byte's list of prefixes.
            let byte = bytes[start]
            guard starts[Int(byte >> 6)] & (1 << UInt64(byte & 63)) != 0 else { continue }
            for needle in needlesByFirstByte[Int(byte.asciiLowercased)] where start + needle.count <= head {
                var matches = true
                for offset in 1..<needle.count where bytes[start + offset].asciiLowercased != needle[offset] {
                    matches = false
                    break
                }
                if matches { return true }
            }
        }
        return false
    }

    /// The bytes that start a caption prefix, either ASCII case, as 256 bits.
    private static let captionStartBytes: [UInt64] = (0..<4).map { word in
        (0..<64).reduce(UInt64(0)) { bits, bit in
            let byte = UInt8(word * 64 + bit)
            return captionNeedlesByFirstByte[Int(byte.asciiLowercased)].isEmpty ? bits : bits | 1 << UInt64(bit)
        }
    }

    /// The caption prefixes by their first byte.
    private static let captionNeedlesByFirstByte: [[[UInt8]]] = (0..<256).map { byte in
        ChromeLexicon.captionPrefixBytes.filter { $0.first == UInt8(byte) }
    }

    /// Whether the bytes of `needle` occur in `bytes`.
    static func contains(_ bytes: UnsafeBufferPointer<UInt8>, _ needle: StaticString) -> Bool {
        let pattern = UnsafeBufferPointer(start: needle.utf8Start, count: needle.utf8CodeUnitCount)
        guard pattern.count <= bytes.count else { return false }
        for start in 0...(bytes.count - pattern.count) where bytes[start] == pattern[0] {
            var matches = true
            for offset in 1..<pattern.count where bytes[start + offset] != pattern[offset] {
                matches = false
                break
            }
            if matches { return true }
        }
        return false
    }
}

/// What `LineProfile` counts of a line's tokens.
private struct TokenStatistics {
    /// Whether the line ends like a sentence: past `LineProfile.shortLineUnits`, only a line that does not has its
    /// date words counted (the rule for a timestamp glued to a headline reads them).
    let endsSentence: Bool
    var tokens = 0
    var cjk = 0
    var numbers = 0
    var dateTokens = 0
    var chromeTerms = 0
    var idTokens = 0
    var hasLongID = false
    var lastHash: UInt64?
    private let kinds = ChromeLexicon.tokenKinds
    private let phrases = ChromeLexicon.phraseTable

    /// Twice the line's length in units so far (a word counts 2, a CJK character 1): `units` in whole numbers.
    var halfUnits: Int { 2 * tokens - cjk }

    mutating func visit(_ token: WordTokenizer.RawToken) {
        tokens += 1
        if token.isCJK { cjk += 1 }
        if token.isNumber { numbers += 1 }
        // Past `LineProfile.shortLineUnits`, what the lexicon says decides nothing but a third date word: most of a
        // paragraph's words are not looked up.
        if halfUnits <= 2 * LineProfile.shortLineUnits {
            let kind = kinds.flags(of: token.hash)
            if token.isNumber || kind & ChromeLexicon.dateWordFlag != 0 { dateTokens += 1 }
            if kind & ChromeLexicon.chromeWordFlag != 0 { chromeTerms += 1 }
            if let previous = lastHash, phrases.flags(of: WordTokenizer.phraseHash(previous, token.hash)) != 0 {
                chromeTerms += 1
            }
        } else if !endsSentence && dateTokens < 3
            && (token.isNumber || kinds.flags(of: token.hash) & ChromeLexicon.dateWordFlag != 0) {
            dateTokens += 1
        }
        if token.isHexWithDigit && token.length >= 4 {
            idTokens += 1
            if token.length >= 6 && (token.isNumber || token.length >= 8) { hasLongID = true }
        }
        lastHash = token.hash
    }
}
