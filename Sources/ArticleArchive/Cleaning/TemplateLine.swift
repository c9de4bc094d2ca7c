/// How lines are compared across the pages of one site.
public enum TemplateLine {
    /// One distinct line of a body, as the archive learns it.
    public struct Entry: Sendable, Equatable {
        /// The normalised line's hash.
        public var hash: Int64
        /// Whether the line is long enough (10 words or more) to be body content rather than a menu item.
        public var isContent: Bool
    }

    /// The distinct lines of a body, in first-seen order (blank lines and lines without a letter or digit
    /// skipped): what the archive learns from each article.
    public static func entries(of text: String) -> [Entry] {
        lines(of: text).entries
    }

    /// The lines of a body: its distinct lines (`entries(of:)`), and the hash of every line by line number, as
    /// the cleaner numbers them (0 for a line that is blank or has no letter or digit, which is never template),
    /// so that the cleaner compares lines with a template without hashing them again.
    ///
    /// Lines are hashed as the cleaner sees them: trimmed of spaces (no-break and ideographic ones too), and the
    /// first without a byte order mark.
    static func lines(of text: String) -> (entries: [Entry], hashesByLine: [Int64]) {
        var text = text
        text.makeContiguousUTF8()
        let skipped = text.hasPrefix("\u{FEFF}") ? 3 : 0
        return text.utf8.withContiguousStorageIfAvailable { bytes in
            let lines = TextScanning.expectedLineCount(byteCount: bytes.count)
            var seen = LineHashSet(capacity: lines)
            var entries: [Entry] = []
            entries.reserveCapacity(lines)
            var hashesByLine: [Int64] = []
            hashesByLine.reserveCapacity(lines)
            TextScanning.forEachLine(bytes, from: skipped) { start, end in
                let (first, last) = TextScanning.trimmedSpaces(bytes, start, end)
                let line = UnsafeBufferPointer(rebasing: bytes[first..<last])
                guard hasWordCharacter(line) else {
                    hashesByLine.append(0)
                    return
                }
                let hash = hash(line)
                hashesByLine.append(hash)
                if seen.insert(hash) {
                    let untrimmed = UnsafeBufferPointer(rebasing: bytes[start..<end])
                    entries.append(Entry(hash: hash, isContent: isContent(untrimmed)))
                }
            }
            return (entries, hashesByLine)
        }!
    }

    /// Whether a letter, digit, mark or underscore occurs in the line.
    private static func hasWordCharacter(_ line: UnsafeBufferPointer<UInt8>) -> Bool {
        var index = 0
        while index < line.count {
            let byte = line[index]
            if byte < 0x80 {
                if WordTokenizer.asciiClasses[Int(byte)] != 0 { return true }
                index += 1
                continue
            }
            let (value, end) = WordTokenizer.decodeScalar(line, at: index)
            if let scalar = Unicode.Scalar(value), scalar.isWordCharacter { return true }
            index = end
        }
        return false
    }

    /// Lines of at least this many words are content (what `sameStoryShare` counts).
    static let contentWords = 10

    /// Whether the line has `contentWords` runs of characters between spaces (counting stops there: most lines of
    /// an article are paragraphs far longer).
    private static func isContent(_ line: UnsafeBufferPointer<UInt8>) -> Bool {
        ByteScanning.spaceSeparatedRuns(in: line, upTo: contentWords) == contentWords
    }

    /// FNV-1a over the normalised line: lower-cased, runs of whitespace as one space, runs of digits as `0`,
    /// so "© 2024 Site" and "© 2025 Site", or "Updated 3 hours ago" and "Updated 5 hours ago", are one line.
    ///
    /// Lower-casing is per scalar (each scalar's own lower-case mapping, as `lowercased()` gives for all but a
    /// few context-dependent letters), done on the UTF-8 bytes in place: an ASCII byte inline, another scalar
    /// decoded, without building the lowered copy.
    static func hash(_ line: Substring) -> Int64 {
        var line = line
        return line.withUTF8 { hash($0) }
    }

    /// A line is known by its first this many bytes (cut back to a whole character). A site's menus, share lines
    /// and footers are shorter; two paragraphs that share their first twenty-odd words are one line as far as
    /// templates and republications go. Hashing whole paragraphs took 4.6% of an ingest's CPU, and 45% of a news
    /// feed's bytes lie past the first 128 of their line (18% past 256).
    ///
    /// Archives made before 2026-12-07 hold keys of whole long lines: those never match again, so what the site's
    /// template holds of lines longer than this is learned again from the pages that follow (two of a site's), and
    /// the pages cleaned before that keep such lines until `archive reclean`.
    static let hashedPrefix = 128

    /// `hash(_:)` of a line's UTF-8 bytes: the normalised bytes written out first, then hashed in one pass.
    ///
    /// Hashing while normalising put a branch on every byte (space, digit, other) in front of the multiply chain;
    /// where words end is unpredictable, and the mispredictions cost more than the hashing. Written out without a
    /// branch per ASCII byte, the bytes are then hashed at the speed of the chain alone.
    static func hash(_ bytes: UnsafeBufferPointer<UInt8>) -> Int64 {
        var end = bytes.count
        if end > hashedPrefix {
            end = hashedPrefix
            while end > 0 && bytes[end] & 0xC0 == 0x80 { end -= 1 }  // not inside a character's bytes
        }
        let prefix = UnsafeBufferPointer(rebasing: bytes[..<end])
        return withUnsafeTemporaryAllocation(of: UInt8.self, capacity: NormalizedLineWriter.capacity(for: end)) { out in
            let count = NormalizedLineWriter.asciiEntries.withUnsafeBufferPointer { entries in
                normalize(prefix, entries, into: out)
            }
            return Int64(bitPattern: WordTokenizer.hashBytes(UnsafeBufferPointer(out), 0..<count))
        }
    }

    /// Writes the normalised form of `bytes` into `out` and returns its length.
    private static func normalize(
        _ bytes: UnsafeBufferPointer<UInt8>, _ entries: UnsafeBufferPointer<UInt16>,
        into out: UnsafeMutableBufferPointer<UInt8>
    ) -> Int {
        var writer = NormalizedLineWriter(out.baseAddress!)
        var index = 0
        let count = bytes.count
        let base = UnsafeRawPointer(bytes.baseAddress)
        // Bytes before this one are added one at a time: eight that were not plain.
        var slowUntil = 0
        while index < count {
            if index >= slowUntil, index + 8 <= count, let base {
                if writer.add(plainWord: base.loadUnaligned(fromByteOffset: index, as: UInt64.self)) {
                    index &+= 8
                    continue
                }
                // All eight a byte at a time, not only those up to the first that is not plain: in a script other
                // than Latin most bytes are not, and trying every byte again cost more than it saved.
                slowUntil = index + 8
            }
            let byte = bytes[index]
            if byte < 0x80 {
                writer.add(entry: entries[Int(byte)])
                index &+= 1
                continue
            }
            let (value, end) = WordTokenizer.decodeScalar(bytes, at: index)
            if !isCaseless(value), let scalar = Unicode.Scalar(value), scalar.properties.changesWhenLowercased {
                for lowered in scalar.properties.lowercaseMapping.utf8 { writer.add(lowered) }
            } else {
                for position in index..<end { writer.add(bytes[position]) }
            }
            index = end
        }
        return writer.count
    }

    /// Blocks with no upper-case letters (Hebrew to Tibetan, CJK and kana, Hangul syllables): their scalars
    /// need no property lookup.
    @inline(__always)
    private static func isCaseless(_ value: UInt32) -> Bool {
        (0x0590...0x0FFF).contains(value) || (0x3000...0x9FFF).contains(value) || (0xAC00...0xD7AF).contains(value)
    }
}

/// Writes a line normalised as `TemplateLine.hash(_:)` hashes it: lower-cased, runs of whitespace as one space
/// (none at either end), runs of digits as one `0`. Each byte is stored at the next free place whether or not it
/// counts, and the place moves on only when it does, so an ASCII byte costs no branch.
private struct NormalizedLineWriter {
    private let out: UnsafeMutablePointer<UInt8>
    /// How many bytes are written.
    private(set) var count = 0
    // 1 or 0: a space is owed before the next byte; the last byte was a digit; a byte has been written.
    private var pendingSpace = 0
    private var inDigits = 0
    private var started = 0

    init(_ out: UnsafeMutablePointer<UInt8>) {
        self.out = out
    }

    /// Room for the normalised form of a line of `byteCount` bytes: a byte becomes at most a space and itself, and
    /// a letter's lower-case form is at most half as long again as the letter (U+0130, two bytes, lowers to three).
    static func capacity(for byteCount: Int) -> Int { 2 * byteCount + 8 }

    /// `entry(of:)` of each ASCII byte.
    static let asciiEntries: [UInt16] = (0..<128).map { entry(of: UInt8($0)) }

    /// The bits of an entry above its byte: whitespace, digit.
    static let whitespaceShift: UInt16 = 8
    static let digitShift: UInt16 = 9

    /// The byte as written (lower-cased if an ASCII capital, `0` for a digit), with the bit at `whitespaceShift` set
    /// for whitespace and the one at `digitShift` for a digit.
    static func entry(of byte: UInt8) -> UInt16 {
        if byte == 0x20 || (byte >= 0x09 && byte <= 0x0D) { return 1 << whitespaceShift | 0x20 }
        if byte >= 0x30 && byte <= 0x39 { return 1 << digitShift | 0x30 }
        return UInt16(byte.asciiLowercased)
    }

    /// Adds a byte given its `entry(of:)` (for ASCII, its entry in `asciiEntries`).
    @inline(__always)
    mutating func add(entry: UInt16) {
        let isSpace = Int(truncatingIfNeeded: entry >> Self.whitespaceShift) & 1
        let isDigit = Int(truncatingIfNeeded: entry >> Self.digitShift) & 1
        let counts = isSpace ^ 1
        out[count] = 0x20
        count &+= pendingSpace & counts
        out[count] = UInt8(truncatingIfNeeded: entry)
        count &+= counts & ~(isDigit & inDigits)
        pendingSpace = isSpace & started
        inDigits = isDigit
        started |= counts
    }

    /// Adds one byte of a non-ASCII scalar's UTF-8, or of its lower-case mapping.
    @inline(__always)
    mutating func add(_ byte: UInt8) {
        add(entry: Self.entry(of: byte))
    }

    /// Adds eight bytes (little-endian in `word`) at once when they are plain text: ASCII with no digit, no control
    /// character and no two spaces in a row, where normalising is lower-casing alone. Returns `false`, adding
    /// nothing, for any other eight, which are then added a byte at a time. Most of a line's bytes are plain.
    @inline(__always)
    mutating func add(plainWord word: UInt64) -> Bool {
        let high: UInt64 = 0x8080_8080_8080_8080
        let ones: UInt64 = 0x0101_0101_0101_0101
        guard word & high == 0 else { return false }
        // With every byte below 0x80, adding at most 0x7F to each carries into no other byte: each sum's high bit
        // says whether that byte is at or above a bound.
        @inline(__always) func atLeast(_ bound: UInt64) -> UInt64 { (word &+ (0x80 &- bound) &* ones) & high }
        let control = ~atLeast(0x20) & high
        let space = atLeast(0x20) & ~atLeast(0x21)
        let digit = atLeast(0x30) & ~atLeast(0x3A)
        let spaceBefore = (space << 8) | UInt64(pendingSpace) << 7 | UInt64(started ^ 1) << 7
        guard control | digit | (space & spaceBefore) == 0 else { return false }
        let upper = atLeast(0x41) & ~atLeast(0x5B)
        // A space owed before these bytes is written first, and a space ending them is owed after them.
        out[count] = 0x20
        count &+= pendingSpace
        UnsafeMutableRawPointer(out + count).storeBytes(of: (word | upper >> 2).littleEndian, as: UInt64.self)
        let endsWithSpace = Int(truncatingIfNeeded: space >> 63)
        count &+= 8 &- endsWithSpace
        pendingSpace = endsWithSpace
        inDigits = 0
        started = 1
        return true
    }
}
