/// Lines of one article that recur across other, different articles of the same source: the site's template.
///
/// Lines are compared after `TemplateLine.normalize` (case, spacing and digits ignored), by 64-bit hash.
public struct TemplateEvidence: Sendable, Equatable {
    /// Hashes of the article's lines that are template.
    public var lineHashes: Set<Int64>

    /// Creates evidence; empty means nothing is known about the source.
    public init(lineHashes: Set<Int64> = []) {
        self.lineHashes = lineHashes
    }

    /// Whether the line is part of the source's template.
    func contains(_ line: Substring) -> Bool {
        !lineHashes.isEmpty && lineHashes.contains(TemplateLine.hash(line))
    }
}

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
        var seen = Set<Int64>()
        var result: [Entry] = []
        for line in text.lineSlices() {
            guard line.unicodeScalars.contains(where: \.isWordCharacter) else { continue }
            let hash = hash(line)
            if seen.insert(hash).inserted {
                let words = line.utf8.split(separator: 0x20, omittingEmptySubsequences: true).count
                result.append(Entry(hash: hash, isContent: words >= 10))
            }
        }
        return result
    }

    /// FNV-1a over the normalised line: lower-cased, runs of whitespace as one space, runs of digits as `0`,
    /// so "© 2024 Site" and "© 2025 Site", or "Updated 3 hours ago" and "Updated 5 hours ago", are one line.
    static func hash(_ line: Substring) -> Int64 {
        // ASCII lines (most lines of most pages) are lower-cased byte by byte; others scalar by scalar, as
        // `lowercased()` does, without building the lowered copy.
        if line.utf8.allSatisfy({ $0 < 0x80 }) {
            return hash(lowercasedBytes: line.utf8.lazy.map { $0 >= 0x41 && $0 <= 0x5A ? $0 | 0x20 : $0 })
        }
        return hash(lowercasedBytes: LowercasedUTF8(line.unicodeScalars))
    }

    /// The UTF-8 bytes of a text's per-scalar lower-case mapping, produced lazily.
    private struct LowercasedUTF8: Sequence, IteratorProtocol {
        var scalars: Substring.UnicodeScalarView.Iterator
        var pending: [UInt8] = []
        var pendingIndex = 0

        init(_ scalars: Substring.UnicodeScalarView) {
            self.scalars = scalars.makeIterator()
        }

        mutating func next() -> UInt8? {
            if pendingIndex < pending.count {
                defer { pendingIndex += 1 }
                return pending[pendingIndex]
            }
            guard let scalar = scalars.next() else { return nil }
            if scalar.isASCII {
                let byte = UInt8(scalar.value)
                return byte >= 0x41 && byte <= 0x5A ? byte | 0x20 : byte
            }
            pending.removeAll(keepingCapacity: true)
            if scalar.properties.changesWhenLowercased {
                pending.append(contentsOf: scalar.properties.lowercaseMapping.utf8)
            } else {
                pending.append(contentsOf: UTF8.encode(scalar)!)
            }
            pendingIndex = 1
            return pending[0]
        }
    }

    private static func hash<Bytes: Sequence>(lowercasedBytes bytes: Bytes) -> Int64 where Bytes.Element == UInt8 {
        var hash: UInt64 = 0xcbf2_9ce4_8422_2325
        var pendingSpace = false
        var inDigits = false
        var started = false
        for byte in bytes {
            if byte == 0x20 || (byte >= 0x09 && byte <= 0x0D) {
                pendingSpace = started
                inDigits = false
                continue
            }
            if pendingSpace {
                hash = (hash ^ 0x20) &* 0x0000_0100_0000_01b3
                pendingSpace = false
            }
            started = true
            if byte >= 0x30 && byte <= 0x39 {
                if !inDigits { hash = (hash ^ 0x30) &* 0x0000_0100_0000_01b3 }
                inDigits = true
                continue
            }
            inDigits = false
            hash = (hash ^ UInt64(byte)) &* 0x0000_0100_0000_01b3
        }
        return Int64(bitPattern: hash)
    }
}
