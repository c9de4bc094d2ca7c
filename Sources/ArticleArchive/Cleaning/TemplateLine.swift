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

    /// `hash(_:)` of a line's UTF-8 bytes.
    static func hash(_ bytes: UnsafeBufferPointer<UInt8>) -> Int64 {
        var end = bytes.count
        if end > hashedPrefix {
            end = hashedPrefix
            while end > 0 && bytes[end] & 0xC0 == 0x80 { end -= 1 }  // not inside a character's bytes
        }
        return NormalizedLineHasher.asciiRoles.withUnsafeBufferPointer { roles in
            hash(UnsafeBufferPointer(rebasing: bytes[..<end]), roles)
        }
    }

    private static func hash(_ bytes: UnsafeBufferPointer<UInt8>, _ roles: UnsafeBufferPointer<UInt16>) -> Int64 {
        var hasher = NormalizedLineHasher()
        var index = 0
        let count = bytes.count
        while index < count {
            let byte = bytes[index]
            if byte < 0x80 {
                hasher.add(role: roles[Int(byte)])
                index += 1
                continue
            }
            let (value, end) = WordTokenizer.decodeScalar(bytes, at: index)
            if !isCaseless(value), let scalar = Unicode.Scalar(value), scalar.properties.changesWhenLowercased {
                for lowered in scalar.properties.lowercaseMapping.utf8 { hasher.add(lowered) }
            } else {
                for position in index..<end { hasher.add(bytes[position]) }
            }
            index = end
        }
        return Int64(bitPattern: hasher.hash)
    }

    /// Blocks with no upper-case letters (Hebrew to Tibetan, CJK and kana, Hangul syllables): their scalars
    /// need no property lookup.
    @inline(__always)
    private static func isCaseless(_ value: UInt32) -> Bool {
        (0x0590...0x0FFF).contains(value) || (0x3000...0x9FFF).contains(value) || (0xAC00...0xD7AF).contains(value)
    }
}

/// FNV-1a over lower-cased UTF-8 bytes, with runs of whitespace as one space (none at either end) and runs of
/// digits as one `0`.
private struct NormalizedLineHasher {
    var hash: UInt64 = 0xcbf2_9ce4_8422_2325
    private var pendingSpace = false
    private var inDigits = false
    private var started = false

    /// `role(of:)` of each ASCII byte.
    static let asciiRoles: [UInt16] = (0..<128).map { role(of: UInt8($0)) }

    /// 0x100 for whitespace, 0x200 for a digit, else the byte, lower-cased if it is an ASCII capital.
    @inline(__always)
    static func role(of byte: UInt8) -> UInt16 {
        if byte == 0x20 || (byte >= 0x09 && byte <= 0x0D) { return 0x100 }
        if byte >= 0x30 && byte <= 0x39 { return 0x200 }
        return UInt16(byte.asciiLowercased)
    }

    /// Adds a byte given its `role(of:)` (for ASCII, its entry in `asciiRoles`).
    @inline(__always)
    mutating func add(role: UInt16) {
        if role == 0x100 {
            pendingSpace = started
            inDigits = false
            return
        }
        if pendingSpace {
            hash = (hash ^ 0x20) &* 0x0000_0100_0000_01b3
            pendingSpace = false
        }
        started = true
        if role == 0x200 {
            if !inDigits { hash = (hash ^ 0x30) &* 0x0000_0100_0000_01b3 }
            inDigits = true
            return
        }
        inDigits = false
        hash = (hash ^ UInt64(role)) &* 0x0000_0100_0000_01b3
    }

    /// Adds one byte of a non-ASCII scalar's UTF-8, or of its lower-case mapping.
    @inline(__always)
    mutating func add(_ byte: UInt8) {
        add(role: Self.role(of: byte))
    }
}
