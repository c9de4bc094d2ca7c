#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif

/// Checks that a body is archivable text: within the size limit, valid UTF-8, not binary, not blank.
struct BodyValidator: Sendable {
    var maximumBytes: Int

    /// - Returns: the body as a string.
    /// - Throws: `InputProblem` naming `origin`.
    func validate(_ bytes: [UInt8], origin: InputOrigin) throws -> String {
        guard bytes.count <= maximumBytes else {
            throw InputProblem(
                origin: origin, message: "body of \(bytes.count) bytes exceeds the limit of \(maximumBytes) bytes")
        }
        if let nul = bytes.firstIndex(of: 0) {
            throw InputProblem(origin: origin, message: "binary data (NUL byte at offset \(nul)), not text")
        }
        guard let text = String(validating: bytes, as: UTF8.self) else {
            let offset = Self.firstInvalidUTF8Offset(bytes) ?? 0
            throw InputProblem(origin: origin, message: "invalid UTF-8 at byte offset \(offset)")
        }
        try validate(text: text, origin: origin)
        return text
    }

    /// Checks a body that is already a string (from JSON).
    func validate(text: String, origin: InputOrigin) throws {
        guard text.utf8.count <= maximumBytes else {
            throw InputProblem(
                origin: origin, message: "body of \(text.utf8.count) bytes exceeds the limit of \(maximumBytes) bytes")
        }
        var copy = text
        let hasNUL = copy.withUTF8 { bytes in bytes.baseAddress.map { memchr($0, 0, bytes.count) != nil } ?? false }
        if hasNUL {
            throw InputProblem(origin: origin, message: "binary data (a NUL character), not text")
        }
        guard text.unicodeScalars.contains(where: { !$0.properties.isWhitespace && $0 != "\u{FEFF}" }) else {
            throw InputProblem(origin: origin, message: "empty body (nothing but whitespace)")
        }
    }

    private static func firstInvalidUTF8Offset(_ bytes: [UInt8]) -> Int? {
        var decoder = UTF8()
        var iterator = bytes.makeIterator()
        var offset = 0
        while true {
            switch decoder.decode(&iterator) {
            case .scalarValue(let scalar): offset += UTF8.width(scalar)
            case .emptyInput: return nil
            case .error: return offset
            }
        }
    }
}
