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
        while index < count {
            let byte = bytes[index]
            if byte == 0x0A || byte == 0x0D {
                body(lineStart, index)
                index += byte == 0x0D && index + 1 < count && bytes[index + 1] == 0x0A ? 2 : 1
                lineStart = index
            } else {
                index += 1
            }
        }
        body(lineStart, count)
    }

    /// At least the number of lines `forEachLine` finds from `start`: one more than the line breaks' bytes.
    static func lineCountBound(_ bytes: UnsafeBufferPointer<UInt8>, from start: Int) -> Int {
        var count = 1
        var index = start
        if let base = bytes.baseAddress {
            // Eight bytes at a time: a byte equal to a line break becomes zero, and zero bytes are told exactly
            // (no borrow from one byte into the next) by adding 0x7F to each byte's low seven bits.
            let lows: UInt64 = 0x7F7F_7F7F_7F7F_7F7F
            while index + 8 <= bytes.count {
                let word = UInt64(littleEndian: UnsafeRawPointer(base).loadUnaligned(fromByteOffset: index, as: UInt64.self))
                let newlines = word ^ 0x0A0A_0A0A_0A0A_0A0A
                let returns = word ^ 0x0D0D_0D0D_0D0D_0D0D
                count += (~(((newlines & lows) &+ lows) | newlines | lows)).nonzeroBitCount
                count += (~(((returns & lows) &+ lows) | returns | lows)).nonzeroBitCount
                index += 8
            }
        }
        while index < bytes.count {
            if bytes[index] == 0x0A || bytes[index] == 0x0D { count += 1 }
            index += 1
        }
        return count
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
