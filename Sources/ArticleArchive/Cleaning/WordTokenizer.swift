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
        var cursor = TokenCursor(bytes)
        withUnsafeTemporaryAllocation(of: RawToken.self, capacity: TokenCursor.batchCapacity) { buffer in
            cursor.forEachToken(using: buffer) { token in
                visitor.visit(Token(
                    hash: token.hash, length: token.length, isNumber: token.isNumber,
                    isHexWithDigit: token.isHexWithDigit, isCJK: token.isCJK))
            }
        }
    }

    /// A token as `TokenCursor` writes it: its hash, and its length and character flags in one word.
    struct RawToken {
        var hash: UInt64
        /// The UTF-8 length in the low 32 bits; above them the flags of `asciiClasses` (0x100 a character that is
        /// not a digit, 0x200 not a hexadecimal digit, 0x400 a digit), and `cjkFlag`.
        var meta: UInt64

        static let cjkFlag: UInt64 = 0x800

        var length: Int { Int(truncatingIfNeeded: meta & 0xFFFF_FFFF) }
        private var flags: UInt64 { meta >> 32 }
        /// All ASCII digits.
        var isNumber: Bool { flags & 0x100 == 0 }
        /// Only `0-9a-f`, with at least one digit.
        var isHexWithDigit: Bool { flags & 0x200 == 0 && flags & 0x400 != 0 }
        /// A single CJK character.
        var isCJK: Bool { flags & Self.cjkFlag != 0 }
    }

    /// Reads the tokens of some UTF-8 bytes a buffer at a time (a buffer of a fixed size holds a line of any length):
    /// the same tokens, with the same hashes, as `visitTokens`.
    ///
    /// An ASCII byte costs no branch: where a word ends is unpredictable, and a mispredicted branch per word costs
    /// more than the hashing. Each byte stores the running token at the next free place, and moves that place on
    /// only when a word has just ended.
    struct TokenCursor {
        /// A good size for the buffers passed to `read(into:)` (4 KiB).
        static let batchCapacity = 256

        private let bytes: UnsafeBufferPointer<UInt8>
        private var progress = Progress()
        /// Whether every token has been read.
        private(set) var isFinished: Bool
        /// How many tokens read so far are CJK characters.
        var cjk: Int { progress.cjk }
        /// Whether the bytes read so far hold a letter whose NFKC form differs (see `mayNeedCompatibilityMapping`).
        var sawCompatibility: Bool { progress.sawCompatibility }

        init(_ bytes: UnsafeBufferPointer<UInt8>) {
            self.bytes = bytes
            isFinished = bytes.isEmpty
        }

        /// Calls `body` with each token left, reading them into `buffer` (at least 4 places) a buffer at a time.
        @inline(__always)
        mutating func forEachToken(
            using buffer: UnsafeMutableBufferPointer<RawToken>, _ body: (RawToken) -> Void
        ) {
            while !isFinished {
                for token in read(into: buffer) { body(token) }
            }
        }

        /// Writes the next tokens into `buffer` (at least 4 places) and returns them.
        mutating func read(into buffer: UnsafeMutableBufferPointer<RawToken>) -> UnsafeBufferPointer<RawToken> {
            precondition(buffer.count >= 4, "a token buffer needs at least 4 places")
            let output = buffer.baseAddress!
            let (bytes, from) = (bytes, progress)
            // An iteration stores at `count` and adds at most two tokens (a word ended by a CJK character, and that
            // character), and the end adds one more: stop two places short.
            var (done, count) = WordTokenizer.asciiClasses.withUnsafeBufferPointer { classes in
                WordTokenizer.asciiTokenMasks.withUnsafeBufferPointer { masks in
                    Self.scan(
                        bytes, from: from, classes.baseAddress!, masks.baseAddress!, into: output,
                        limit: buffer.count - 2)
                }
            }
            if done.index == bytes.count {
                if done.inWord != 0 {
                    output[count] = RawToken(hash: done.hash, meta: done.meta)
                    count += 1
                    done.inWord = 0
                }
                isFinished = true
            }
            progress = done
            return UnsafeBufferPointer(start: output, count: count)
        }

        /// Where the reading stands between buffers: the word being read (its running hash, its `RawToken.meta`, and
        /// all ones while in one), the next byte, and what the cursor counts.
        private struct Progress {
            var hash = WordTokenizer.offsetBasis
            var meta: UInt64 = 0
            var inWord: UInt64 = 0
            var index = 0
            var cjk = 0
            var sawCompatibility = false
        }

        /// Reads tokens into `output` from `from.index` until the bytes end or `limit` tokens are written, and returns
        /// where it stopped and how many it wrote.
        ///
        /// Every variable of the loop is a local of this function, and ASCII runs have a loop of their own: state
        /// kept in the cursor, or captured by a closure, was loaded from memory and stored back at every byte
        /// (the stores of tokens might have changed it), and that put a store and a load on the multiply chain.
        private static func scan(
            _ bytes: UnsafeBufferPointer<UInt8>, from: Progress, _ classes: UnsafePointer<UInt16>,
            _ masks: UnsafePointer<UInt64>, into output: UnsafeMutablePointer<RawToken>, limit: Int
        ) -> (Progress, count: Int) {
            var hash = from.hash, meta = from.meta, inWord = from.inWord, index = from.index, count = 0
            var cjk = from.cjk, sawCompatibility = from.sawCompatibility
            let end = bytes.count
            guard let input = bytes.baseAddress else { return (from, 0) }
            while index < end && count < limit {
                while index < end && count < limit {
                    let byte = input[index]
                    if byte >= 0x80 { break }
                    // All ones for a word byte, zero for a separator: loaded, not compared, so the compiler cannot
                    // turn these selects back into branches.
                    let keep = masks[Int(byte)]
                    let entry = UInt64(classes[Int(byte)])
                    output[count] = RawToken(hash: hash, meta: meta)
                    count &+= Int(truncatingIfNeeded: inWord & ~keep & 1)
                    let next = (hash ^ (entry & 0xFF)) &* WordTokenizer.prime
                    hash = (next & keep) | (WordTokenizer.offsetBasis & ~keep)
                    meta = ((meta &+ 1) | ((entry & 0xFF00) << 32)) & keep
                    inWord = keep
                    index &+= 1
                }
                guard index < end && count < limit else { break }
                let (value, scalarEnd) = WordTokenizer.decodeScalar(bytes, at: index)
                let isCJK = WordTokenizer.isCJK(value)
                if isCJK || WordTokenizer.isSeparator(value) {
                    if inWord != 0 {
                        output[count] = RawToken(hash: hash, meta: meta)
                        count += 1
                        hash = WordTokenizer.offsetBasis
                        meta = 0
                        inWord = 0
                    }
                    if isCJK {
                        output[count] = RawToken(
                            hash: WordTokenizer.hashBytes(bytes, index..<scalarEnd),
                            meta: UInt64(scalarEnd - index) | ((RawToken.cjkFlag | 0x300) << 32))
                        count += 1
                        cjk += 1
                    }
                } else {
                    if WordTokenizer.mayNeedCompatibilityMapping(value) { sawCompatibility = true }
                    WordTokenizer.foldLetter(value, bytes, index..<scalarEnd, into: &hash)
                    meta = (meta &+ UInt64(scalarEnd - index)) | (0x300 << 32)
                    inWord = .max
                }
                index = scalarEnd
            }
            let progress = Progress(
                hash: hash, meta: meta, inWord: inWord, index: index, cjk: cjk, sawCompatibility: sawCompatibility)
            return (progress, count)
        }
    }

    /// For each ASCII byte: all ones for a word character, zero for a separator.
    static let asciiTokenMasks: [UInt64] = asciiClasses.map { $0 == 0 ? 0 : .max }

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
