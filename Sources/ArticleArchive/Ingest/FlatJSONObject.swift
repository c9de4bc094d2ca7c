/// A JSON object read straight from its UTF-8 bytes, keeping the strings of its top-level fields: the shape of a
/// JSONL record, read without building Foundation objects for it, and exactly: Foundation's `JSONSerialization`
/// drops a U+FEFF inside a string, which would change the body of an article.
///
/// Anything it does not take (a duplicate key, a `\u` escape of a lone surrogate, invalid UTF-8, a byte out of
/// place, nesting deeper than 64) makes `parse` return `nil`; the caller then reads the line with
/// `JSONSerialization`, which explains what is wrong.
struct FlatJSONObject {
    /// One top-level field's value.
    enum Value: Equatable {
        /// A string.
        case string(String)
        case null
        /// A number, `true`, `false`, an array or an object.
        case other
    }

    /// The top-level fields, in order.
    private(set) var fields: [(key: [UInt8], value: Value)] = []

    /// The value of `key`, `nil` when absent.
    func value(of key: StaticString) -> Value? {
        let name = UnsafeBufferPointer(start: key.utf8Start, count: key.utf8CodeUnitCount)
        for field in fields where field.key.elementsEqual(name) { return field.value }
        return nil
    }

    /// Reads `bytes` as one JSON object, or returns `nil`.
    static func parse(_ bytes: UnsafeBufferPointer<UInt8>) -> FlatJSONObject? {
        var reader = Reader(bytes: bytes)
        var object = FlatJSONObject()
        reader.skipSpace()
        guard reader.take(0x7B) else { return nil }  // {
        reader.skipSpace()
        if reader.take(0x7D) {  // }
            reader.skipSpace()
            return reader.atEnd ? object : nil
        }
        while true {
            reader.skipSpace()
            guard let key = reader.withString({ String(validating: $0, as: UTF8.self) == nil ? nil : Array($0) })
            else { return nil }
            guard !object.fields.contains(where: { $0.key == key }) else { return nil }
            reader.skipSpace()
            guard reader.take(0x3A) else { return nil }  // :
            reader.skipSpace()
            if reader.peek == 0x22 {
                guard let value = reader.string() else { return nil }
                object.fields.append((key, .string(value)))
            } else if reader.take(literal: "null") {
                object.fields.append((key, .null))
            } else {
                guard reader.skipValue(depth: 0) else { return nil }
                object.fields.append((key, .other))
            }
            reader.skipSpace()
            if reader.take(0x2C) { continue }  // ,
            guard reader.take(0x7D) else { return nil }  // }
            reader.skipSpace()
            return reader.atEnd ? object : nil
        }
    }

    private struct Reader {
        let bytes: UnsafeBufferPointer<UInt8>
        var position = 0

        var atEnd: Bool { position == bytes.count }

        var peek: UInt8? { position < bytes.count ? bytes[position] : nil }

        /// Steps over any JSON value, checking its syntax.
        mutating func skipValue(depth: Int) -> Bool {
            guard depth < 64, let first = peek else { return false }
            switch first {
            case 0x22:
                return withString { _ in () } != nil
            case 0x7B, 0x5B:  // { [
                let isObject = first == 0x7B
                position += 1
                skipSpace()
                if take(isObject ? 0x7D : 0x5D) { return true }
                while true {
                    skipSpace()
                    if isObject {
                        guard withString({ _ in () }) != nil else { return false }
                        skipSpace()
                        guard take(0x3A) else { return false }
                        skipSpace()
                    }
                    guard skipValue(depth: depth + 1) else { return false }
                    skipSpace()
                    if take(0x2C) { continue }
                    return take(isObject ? 0x7D : 0x5D)
                }
            case 0x74: return take(literal: "true")
            case 0x66: return take(literal: "false")
            case 0x6E: return take(literal: "null")
            default: return number()
            }
        }

        /// A number: `-`? (0 | [1-9][0-9]*) (. [0-9]+)? ([eE] [+-]? [0-9]+)?
        private mutating func number() -> Bool {
            func digits() -> Int {
                let start = position
                while let byte = peek, byte >= 0x30 && byte <= 0x39 { position += 1 }
                return position - start
            }
            _ = take(0x2D)
            if take(0x30) {
                if let byte = peek, byte >= 0x30 && byte <= 0x39 { return false }
            } else if digits() == 0 {
                return false
            }
            if take(0x2E) && digits() == 0 { return false }
            if take(0x65) || take(0x45) {
                if !take(0x2B) { _ = take(0x2D) }
                if digits() == 0 { return false }
            }
            return true
        }

        mutating func skipSpace() {
            while position < bytes.count {
                let byte = bytes[position]
                guard byte == 0x20 || byte == 0x09 || byte == 0x0A || byte == 0x0D else { return }
                position += 1
            }
        }

        mutating func take(_ byte: UInt8) -> Bool {
            guard position < bytes.count, bytes[position] == byte else { return false }
            position += 1
            return true
        }

        mutating func take(literal: StaticString) -> Bool {
            let count = literal.utf8CodeUnitCount
            guard bytes.count - position >= count else { return false }
            for offset in 0..<count where bytes[position + offset] != literal.utf8Start[offset] { return false }
            position += count
            return true
        }

        /// A string, if it is valid JSON and valid UTF-8.
        mutating func string() -> String? {
            withString { String(validating: $0, as: UTF8.self) }
        }

        /// Reads a string and returns what `body` makes of its unescaped bytes (not checked to be UTF-8), or `nil`
        /// when it is not valid JSON.
        mutating func withString<T>(_ body: (UnsafeBufferPointer<UInt8>) -> T?) -> T? {
            guard take(0x22) else { return nil }  // "
            let start = position
            // The first quote, backslash or control character, found eight bytes at a time: most strings have no
            // escape, and are handed over where they are, with no copy.
            let first = FlatJSONObject.nextSpecialByte(bytes, from: start)
            guard first < bytes.count, bytes[first] >= 0x20 else { return nil }  // a control character must be escaped
            if bytes[first] == 0x22 {
                position = first + 1
                return body(UnsafeBufferPointer(rebasing: bytes[start..<first]))
            }
            // Copy the runs between the escapes as they are found, in one pass (an article's body has an escaped line
            // break every hundred-odd bytes), into room for the rest of the input: escapes only shorten a string.
            var result: [UInt8] = []
            result.reserveCapacity(bytes.count - start)
            var runStart = start
            position = first
            while true {
                position = FlatJSONObject.nextSpecialByte(bytes, from: position)
                guard position < bytes.count else { return nil }
                let byte = bytes[position]
                if byte == 0x22 {
                    result.append(contentsOf: UnsafeBufferPointer(rebasing: bytes[runStart..<position]))
                    position += 1
                    return result.withUnsafeBufferPointer(body)
                }
                if byte < 0x20 { return nil }
                // A backslash.
                result.append(contentsOf: UnsafeBufferPointer(rebasing: bytes[runStart..<position]))
                position += 1
                guard position < bytes.count else { return nil }
                let escaped = bytes[position]
                position += 1
                switch escaped {
                case 0x22, 0x5C, 0x2F: result.append(escaped)  // " \ /
                case 0x62: result.append(0x08)  // b
                case 0x66: result.append(0x0C)  // f
                case 0x6E: result.append(0x0A)  // n
                case 0x72: result.append(0x0D)  // r
                case 0x74: result.append(0x09)  // t
                case 0x75:  // u
                    guard var value = hexQuad() else { return nil }
                    if (0xD800...0xDBFF).contains(value) {
                        // A surrogate pair: \uD83D\uDE00 is one scalar.
                        guard take(0x5C), take(0x75), let low = hexQuad(), (0xDC00...0xDFFF).contains(low) else {
                            return nil
                        }
                        value = 0x10000 + ((value - 0xD800) << 10) + (low - 0xDC00)
                    }
                    guard let scalar = Unicode.Scalar(value) else { return nil }
                    result.append(contentsOf: String(scalar).utf8)
                default:
                    return nil
                }
                runStart = position
            }
        }

        private mutating func hexQuad() -> UInt32? {
            guard bytes.count - position >= 4 else { return nil }
            var value: UInt32 = 0
            for _ in 0..<4 {
                let byte = bytes[position]
                let digit: UInt8
                switch byte {
                case 0x30...0x39: digit = byte - 0x30
                case 0x41...0x46: digit = byte - 0x41 + 10
                case 0x61...0x66: digit = byte - 0x61 + 10
                default: return nil
                }
                value = value << 4 | UInt32(digit)
                position += 1
            }
            return value
        }
    }

    /// Where the first quote, backslash or control character at or after `start` is (`bytes.count` if none),
    /// eight bytes at a time.
    @inline(__always)
    static func nextSpecialByte(_ bytes: UnsafeBufferPointer<UInt8>, from start: Int) -> Int {
        ByteScanning.firstIndex(in: bytes, from: start) { word in
            ByteScanning.bytes(of: word, equalTo: 0x22) | ByteScanning.bytes(of: word, equalTo: 0x5C)
                | ByteScanning.bytes(of: word, below: 0x20)
        } matches: { $0 == 0x22 || $0 == 0x5C || $0 < 0x20 }
    }
}
