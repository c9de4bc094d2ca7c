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
