import Foundation

/// Writes JSON objects, one per line, straight into bytes: strings escaped as JSON requires (quote, backslash,
/// control characters) and otherwise left as the UTF-8 they are, fields in the order written.
struct JSONLineWriter {
    private(set) var bytes = Data()
    private var firstField = true

    mutating func beginObject() {
        bytes.append(0x7B)  // {
        firstField = true
    }

    mutating func endObject() {
        bytes.append(contentsOf: [0x7D, 0x0A])  // }\n
    }

    mutating func field(_ name: StaticString, _ value: String?) {
        key(name)
        guard var value else {
            bytes.append(contentsOf: Self.null)
            return
        }
        value.withUTF8 { string($0) }
    }

    mutating func field(_ name: StaticString, _ value: Int) {
        key(name)
        bytes.append(contentsOf: String(value).utf8)
    }

    /// A string field from UTF-8 bytes (valid UTF-8: the archive's texts are).
    mutating func field(_ name: StaticString, utf8 value: [UInt8]) {
        key(name)
        value.withUnsafeBufferPointer { string($0) }
    }

    private static let null = Array("null".utf8)
    private static let hexDigits = Array("0123456789abcdef".utf8)

    private mutating func key(_ name: StaticString) {
        if !firstField { bytes.append(0x2C) }  // ,
        firstField = false
        bytes.append(0x22)
        bytes.append(name.utf8Start, count: name.utf8CodeUnitCount)
        bytes.append(contentsOf: [0x22, 0x3A])  // ":
    }

    private mutating func string(_ value: UnsafeBufferPointer<UInt8>) {
        bytes.append(0x22)
        var runStart = 0
        for index in 0..<value.count {
            let byte = value[index]
            guard byte < 0x20 || byte == 0x22 || byte == 0x5C else { continue }
            if runStart < index { bytes.append(value.baseAddress! + runStart, count: index - runStart) }
            switch byte {
            case 0x22: bytes.append(contentsOf: [0x5C, 0x22])
            case 0x5C: bytes.append(contentsOf: [0x5C, 0x5C])
            case 0x0A: bytes.append(contentsOf: [0x5C, 0x6E])
            case 0x0D: bytes.append(contentsOf: [0x5C, 0x72])
            case 0x09: bytes.append(contentsOf: [0x5C, 0x74])
            case 0x08: bytes.append(contentsOf: [0x5C, 0x62])
            case 0x0C: bytes.append(contentsOf: [0x5C, 0x66])
            default:
                let digits = Self.hexDigits
                bytes.append(contentsOf: [0x5C, 0x75, 0x30, 0x30, digits[Int(byte >> 4)], digits[Int(byte & 0xF)]])
            }
            runStart = index + 1
        }
        if runStart < value.count { bytes.append(value.baseAddress! + runStart, count: value.count - runStart) }
        bytes.append(0x22)
    }
}
