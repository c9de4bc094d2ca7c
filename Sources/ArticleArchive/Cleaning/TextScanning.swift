/// Line splitting and trimming on UTF-8 bytes, the same cuts as `lineSlices()` and `trimmingSpaces()`.
enum TextScanning {
    /// Whether the text starts and ends with a visible ASCII character, so Unicode whitespace trimming has nothing
    /// to take: the fast path of trimming without Foundation (JSON values, URLs, headlines).
    static func hasVisibleASCIIEnds(_ utf8: some BidirectionalCollection<UInt8>) -> Bool {
        guard let first = utf8.first, let last = utf8.last else { return false }
        return first > 0x20 && first < 0x7F && last > 0x20 && last < 0x7F
    }

    /// Calls `body` with the byte range of each line from `start` (split at `\n`, `\r\n` or `\r`; the text after
    /// the last break is a line too, empty or not), in order.
    static func forEachLine(_ bytes: UnsafeBufferPointer<UInt8>, from start: Int, _ body: (Int, Int) -> Void) {
        var lineStart = start
        var index = start
        let count = bytes.count
        while true {
            index = nextLineBreak(bytes, from: index)
            guard index < count else { break }
            let byte = bytes[index]
            body(lineStart, index)
            index += byte == 0x0D && index + 1 < count && bytes[index + 1] == 0x0A ? 2 : 1
            lineStart = index
        }
        body(lineStart, count)
    }

    /// Where the first `\n` or `\r` at or after `start` is (`bytes.count` if none): eight bytes at a time (a line
    /// is some 50 bytes; one at a time took a cycle a byte).
    @inline(__always)
    static func nextLineBreak(_ bytes: UnsafeBufferPointer<UInt8>, from start: Int) -> Int {
        ByteScanning.firstIndex(in: bytes, from: start) { word in
            ByteScanning.bytes(of: word, equalTo: 0x0A) | ByteScanning.bytes(of: word, equalTo: 0x0D)
        } matches: { $0 == 0x0A || $0 == 0x0D }
    }

    /// About how many lines a text of `byteCount` bytes has, to size arrays of them: lines of news pages average
    /// some 50 bytes (menus shorter, paragraphs longer). A text with more lines grows the arrays once or twice;
    /// counting its line breaks first cost a pass over every body (1% of an ingest).
    static func expectedLineCount(byteCount: Int) -> Int {
        byteCount / 32 + 8
    }

    /// The range of a line without leading and trailing spaces, tabs, no-break and ideographic spaces.
    static func trimmedSpaces(_ bytes: UnsafeBufferPointer<UInt8>, _ start: Int, _ end: Int) -> (Int, Int) {
        var first = start
        var last = end
        while first < last {
            let byte = bytes[first]
            if byte == 0x20 || byte == 0x09 {
                first += 1
            } else if byte == 0xC2 && first + 1 < last && bytes[first + 1] == 0xA0 {
                first += 2
            } else if byte == 0xE3 && first + 2 < last && bytes[first + 1] == 0x80 && bytes[first + 2] == 0x80 {
                first += 3
            } else {
                break
            }
        }
        while first < last {
            let byte = bytes[last - 1]
            if byte == 0x20 || byte == 0x09 {
                last -= 1
            } else if byte == 0xA0 && last - 2 >= first && bytes[last - 2] == 0xC2 {
                last -= 2
            } else if byte == 0x80 && last - 3 >= first && bytes[last - 2] == 0x80 && bytes[last - 3] == 0xE3 {
                last -= 3
            } else {
                break
            }
        }
        return (first, last)
    }
}

/// Byte-level helpers for the cleaner's hot paths (Foundation's string search is far slower here).
extension Substring {
    /// Whether the UTF-8 bytes of `needle` occur in the line.
    func containsUTF8(_ needle: String) -> Bool {
        let pattern = Array(needle.utf8)
        guard let first = pattern.first else { return true }
        let bytes = utf8
        var index = bytes.startIndex
        while let found = bytes[index...].firstIndex(of: first) {
            if bytes[found...].starts(with: pattern) { return true }
            index = bytes.index(after: found)
        }
        return false
    }
}

extension Unicode.Scalar {
    /// A letter, digit, mark or underscore: part of a word token. ASCII is decided without a property lookup.
    var isWordCharacter: Bool {
        if value < 0x80 {
            return (value >= 0x61 && value <= 0x7A) || (value >= 0x41 && value <= 0x5A)
                || (value >= 0x30 && value <= 0x39) || value == 0x5F
        }
        let properties = properties
        return properties.isAlphabetic || properties.numericType != nil
            || properties.generalCategory == .nonspacingMark || properties.generalCategory == .spacingMark
    }
}

extension StringProtocol {
    /// The lines of the text, split at `\n`, `\r\n` or `\r`, found by scanning UTF-8 bytes (no grapheme breaking).
    func lineSlices() -> [SubSequence] {
        var lines: [SubSequence] = []
        let bytes = utf8
        var start = bytes.startIndex
        var index = start
        while index < bytes.endIndex {
            let byte = bytes[index]
            if byte == 0x0A || byte == 0x0D {
                lines.append(self[start..<index])
                var next = bytes.index(after: index)
                if byte == 0x0D, next < bytes.endIndex, bytes[next] == 0x0A { next = bytes.index(after: next) }
                start = next
                index = next
            } else {
                index = bytes.index(after: index)
            }
        }
        lines.append(self[start..<bytes.endIndex])
        return lines
    }
}

extension Substring {
    /// The line without leading and trailing spaces, tabs and no-break spaces.
    func trimmingSpaces() -> Substring {
        if let first = utf8.first, let last = utf8.last, first > 0x20 && first < 0x80 && last > 0x20 && last < 0x80 {
            return self
        }
        let isSpace: (Unicode.Scalar) -> Bool = { $0 == " " || $0 == "\t" || $0 == "\u{A0}" || $0 == "\u{3000}" }
        let scalars = unicodeScalars
        guard let first = scalars.firstIndex(where: { !isSpace($0) }) else { return self[endIndex...] }
        let last = scalars.lastIndex(where: { !isSpace($0) })!
        return self[first...last]
    }

    /// Whether every character is an ASCII digit (and there is at least one).
    var isASCIINumber: Bool {
        !isEmpty && utf8.allSatisfy { $0 >= 0x30 && $0 <= 0x39 }
    }
}
