/// Splits a line into lower-cased word tokens in one pass over its UTF-8 bytes, without building strings:
/// each token is a 64-bit hash of its lower-cased bytes plus a few facts about its characters.
///
/// Word characters are letters, digits, marks and `_`; every CJK ideograph, kana or hangul syllable is a token of
/// its own. ASCII is lower-cased inline; other scripts are lower-cased through the standard library only for lines
/// that hold non-ASCII upper-case letters.
struct WordTokenizer {
    /// One token.
    struct Token: Equatable {
        /// FNV-1a of the lower-cased UTF-8 bytes.
        var hash: UInt64
        /// UTF-8 length.
        var length: Int
        /// All ASCII digits.
        var isNumber: Bool
        /// Only `0-9a-f`, with at least one digit (ids, UUID parts).
        var isHexWithDigit: Bool
        /// A single CJK character.
        var isCJK: Bool
    }

    static let offsetBasis: UInt64 = 0xcbf2_9ce4_8422_2325
    static let prime: UInt64 = 0x0000_0100_0000_01b3

    /// The hash a token with these characters gets; used to build the lexicon's lookup sets.
    static func hash(_ word: String) -> UInt64 {
        var hash = offsetBasis
        for byte in word.lowercased().utf8 { hash = (hash ^ UInt64(byte)) &* prime }
        return hash
    }

    /// The hash of two tokens in sequence (a two-word phrase).
    static func phraseHash(_ first: UInt64, _ second: UInt64) -> UInt64 {
        (first &* 31) ^ (second &+ 0x9e37_79b9_7f4a_7c15)
    }

    /// Something that receives the tokens of a line, one at a time.
    protocol Visitor {
        mutating func visit(_ token: Token)
    }

    private struct Collector: Visitor {
        var tokens: [Token] = []
        mutating func visit(_ token: Token) { tokens.append(token) }
    }

    /// The tokens of a line, as an array.
    static func tokens(_ line: Substring) -> [Token] {
        var collector = Collector()
        visitTokens(line, &collector)
        return collector.tokens
    }

    /// Passes each token of `line` to `visitor`, in order, without allocating.
    static func visitTokens<V: Visitor>(_ line: Substring, _ visitor: inout V) {
        var copy = line
        let needsUnicodeLowercasing = copy.withUTF8 { bytes in bytes.contains { $0 >= 0x80 } }
            && line.unicodeScalars.contains { $0.value >= 0x80 && $0.properties.changesWhenLowercased }
        if needsUnicodeLowercasing {
            var lowered = line.lowercased()
            lowered.withUTF8 { scan($0, &visitor) }
        } else {
            copy.withUTF8 { scan($0, &visitor) }
        }
    }

    private static func scan<V: Visitor>(_ bytes: UnsafeBufferPointer<UInt8>, _ visitor: inout V) {
        var hash = offsetBasis
        var length = 0
        var allDigits = true
        var allHex = true
        var hasDigit = false
        func finish() {
            if length > 0 {
                visitor.visit(Token(hash: hash, length: length, isNumber: allDigits, isHexWithDigit: allHex && hasDigit,
                                    isCJK: false))
            }
            hash = offsetBasis
            length = 0
            allDigits = true
            allHex = true
            hasDigit = false
        }
        var index = 0
        let count = bytes.count
        while index < count {
            var byte = bytes[index]
            if byte < 0x80 {
                let isDigit = byte >= 0x30 && byte <= 0x39
                if byte >= 0x41 && byte <= 0x5A { byte |= 0x20 }
                let isLetter = byte >= 0x61 && byte <= 0x7A
                if isDigit || isLetter || byte == 0x5F {
                    hash = (hash ^ UInt64(byte)) &* prime
                    length += 1
                    if isDigit { hasDigit = true } else { allDigits = false }
                    if !isDigit && byte > 0x66 { allHex = false }
                    if byte == 0x5F { allHex = false }
                } else {
                    finish()
                }
                index += 1
                continue
            }
            // Decode one multi-byte scalar.
            let width = byte >= 0xF0 ? 4 : byte >= 0xE0 ? 3 : byte >= 0xC0 ? 2 : 1
            var value = UInt32(byte) & (width == 4 ? 0x07 : width == 3 ? 0x0F : width == 2 ? 0x1F : 0x7F)
            for offset in 1..<max(width, 1) where index + offset < count {
                value = (value << 6) | (UInt32(bytes[index + offset]) & 0x3F)
            }
            let end = min(index + width, count)
            if isCJK(value) {
                finish()
                var single = offsetBasis
                for position in index..<end { single = (single ^ UInt64(bytes[position])) &* prime }
                visitor.visit(Token(hash: single, length: end - index, isNumber: false, isHexWithDigit: false, isCJK: true))
            } else if isSeparator(value) {
                finish()
            } else {
                for position in index..<end { hash = (hash ^ UInt64(bytes[position])) &* prime }
                length += end - index
                allDigits = false
                allHex = false
            }
            index = end
        }
        finish()
    }

    private static func isCJK(_ value: UInt32) -> Bool {
        (0x3040...0x30FF).contains(value) || (0x3400...0x4DBF).contains(value) || (0x4E00...0x9FFF).contains(value)
            || (0xAC00...0xD7AF).contains(value) || (0xF900...0xFAFF).contains(value)
    }

    /// Punctuation, symbols and spaces outside ASCII (a scalar that is not one of these is part of a word).
    private static func isSeparator(_ value: UInt32) -> Bool {
        switch value {
        case 0x80...0xBF, 0xD7, 0xF7, 0x2000...0x2BFF, 0x3000...0x303F, 0xFE30...0xFE4F, 0xFF00...0xFF0F,
             0xFF1A...0xFF20, 0xFF3B...0xFF40, 0xFF5B...0xFF65, 0x060C, 0x061B, 0x061F, 0x066A...0x066D, 0x06D4,
             0x0964, 0x0965, 0xFEFF, 0x1F000...0x1FAFF:
            true
        default:
            false
        }
    }
}
