/// Splits a line into lower-cased word tokens in one pass over its UTF-8 bytes, without building strings:
/// each token is a 64-bit hash of its lower-cased bytes plus a few facts about its characters.
///
/// Word characters are letters, digits, marks and `_`; every CJK ideograph, kana or hangul syllable is a token of
/// its own. ASCII is lower-cased inline; a non-ASCII upper-case letter is replaced by its lower-case mapping.
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

    /// Passes each token of `line` to `visitor`, in order, without allocating (but for the rare non-ASCII
    /// upper-case letter, whose lower-case form is looked up).
    static func visitTokens<V: Visitor>(_ line: Substring, _ visitor: inout V) {
        var copy = line
        copy.withUTF8 { scan($0, &visitor) }
    }

    /// For each ASCII byte: 0 for a separator, else the lower-cased byte in the low 8 bits and, above them,
    /// flags: 0x100 not a digit, 0x200 not a hexadecimal digit, 0x400 a digit.
    static let asciiClasses: [UInt16] = (0..<128).map { code -> UInt16 in
        let byte = UInt8(code)
        switch byte {
        case 0x30...0x39: return UInt16(byte) | 0x400
        case 0x41...0x46, 0x61...0x66: return UInt16(byte | 0x20) | 0x100
        case 0x47...0x5A, 0x67...0x7A: return UInt16(byte | 0x20) | 0x300
        case 0x5F: return UInt16(byte) | 0x300
        default: return 0
        }
    }

    /// `visitTokens(_:_:)` over a line's UTF-8 bytes.
    static func scan<V: Visitor>(_ bytes: UnsafeBufferPointer<UInt8>, _ visitor: inout V) {
        asciiClasses.withUnsafeBufferPointer { classes in
            var hash = offsetBasis
            var length = 0
            var flags: UInt16 = 0
            var index = 0
            let count = bytes.count
            @inline(__always) func finish(_ visitor: inout V) {
                if length > 0 {
                    visitor.visit(Token(
                        hash: hash, length: length, isNumber: flags & 0x100 == 0,
                        isHexWithDigit: flags & 0x200 == 0 && flags & 0x400 != 0, isCJK: false))
                    hash = offsetBasis
                    length = 0
                    flags = 0
                }
            }
            while index < count {
                let byte = bytes[index]
                if byte < 0x80 {
                    let entry = classes[Int(byte)]
                    if entry != 0 {
                        hash = (hash ^ UInt64(entry & 0xFF)) &* prime
                        length += 1
                        flags |= entry
                    } else {
                        finish(&visitor)
                    }
                    index += 1
                    continue
                }
                let (value, end) = decodeScalar(bytes, at: index)
                if isCJK(value) {
                    finish(&visitor)
                    visitor.visit(Token(
                        hash: hashBytes(bytes, index..<end), length: end - index, isNumber: false,
                        isHexWithDigit: false, isCJK: true))
                } else if isSeparator(value) {
                    finish(&visitor)
                } else {
                    foldLetter(value, bytes, index..<end, into: &hash)
                    length += end - index
                    flags |= 0x300
                }
                index = end
            }
            finish(&visitor)
        }
    }

    /// The scalar whose UTF-8 encoding starts at `index` (a lead byte at or above 0x80), and where the next starts.
    @inline(__always)
    static func decodeScalar(_ bytes: UnsafeBufferPointer<UInt8>, at index: Int) -> (value: UInt32, end: Int) {
        let byte = bytes[index]
        let width = byte >= 0xF0 ? 4 : byte >= 0xE0 ? 3 : byte >= 0xC0 ? 2 : 1
        var value = UInt32(byte) & (width == 4 ? 0x07 : width == 3 ? 0x0F : width == 2 ? 0x1F : 0x7F)
        for offset in 1..<max(width, 1) where index + offset < bytes.count {
            value = (value << 6) | (UInt32(bytes[index + offset]) & 0x3F)
        }
        return (value, min(index + width, bytes.count))
    }

    /// FNV-1a of some bytes.
    @inline(__always)
    static func hashBytes(_ bytes: UnsafeBufferPointer<UInt8>, _ range: Range<Int>) -> UInt64 {
        var hash = offsetBasis
        for position in range { hash = (hash ^ UInt64(bytes[position])) &* prime }
        return hash
    }

    /// Adds a non-ASCII word character to a word's hash: its lower-case form when it has one, else its bytes.
    @inline(__always)
    static func foldLetter(
        _ value: UInt32, _ bytes: UnsafeBufferPointer<UInt8>, _ range: Range<Int>, into hash: inout UInt64
    ) {
        if mayHaveCase(value), let scalar = Unicode.Scalar(value), scalar.properties.changesWhenLowercased {
            for byte in scalar.properties.lowercaseMapping.utf8 { hash = (hash ^ UInt64(byte)) &* prime }
        } else {
            for position in range { hash = (hash ^ UInt64(bytes[position])) &* prime }
        }
    }

    /// Scripts with upper and lower case (Latin, Greek, Cyrillic, Armenian, Georgian, and their extensions,
    /// full-width Latin); other scalars are never looked up.
    static func mayHaveCase(_ value: UInt32) -> Bool {
        (0xC0...0x58F).contains(value) || (0x10A0...0x10FF).contains(value) || (0x1E00...0x1FFF).contains(value)
            || (0x2C00...0x2D2F).contains(value) || (0xA640...0xA7FF).contains(value) || (0xFF21...0xFF3A).contains(value)
    }

    /// Blocks whose letters NFKC may change: combining marks, ligatures, presentation forms, full- and half-width
    /// forms, compatibility jamo and ideographs, mathematical letters.
    static func mayNeedCompatibilityMapping(_ value: UInt32) -> Bool {
        (0x0300...0x036F).contains(value) || (0x3130...0x318F).contains(value) || (0xF900...0xFAFF).contains(value)
            || (0xFB00...0xFDFF).contains(value) || (0xFE70...0xFEFF).contains(value)
            || (0xFF00...0xFFEF).contains(value) || (0x1D400...0x1D7FF).contains(value)
    }

    static func isCJK(_ value: UInt32) -> Bool {
        (0x3040...0x30FF).contains(value) || (0x3400...0x4DBF).contains(value) || (0x4E00...0x9FFF).contains(value)
            || (0xAC00...0xD7AF).contains(value) || (0xF900...0xFAFF).contains(value)
    }

    /// Punctuation, symbols and spaces outside ASCII (a scalar that is not one of these is part of a word).
    static func isSeparator(_ value: UInt32) -> Bool {
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
