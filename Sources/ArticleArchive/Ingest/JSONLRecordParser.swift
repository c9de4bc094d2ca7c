import Foundation

/// Turns one JSONL line into a submission: a JSON object with a string `text`; `url`, `source`, `title`,
/// `fetched_at`, `published_at` and `key` optional strings; any other field kept as provenance.
struct JSONLRecordParser: Sendable {
    static let knownFields: Set<String> = ["text", "url", "source", "title", "fetched_at", "published_at", "key"]
    private static let knownFieldBytes: [[UInt8]] = knownFields.map { Array($0.utf8) }

    var validator: BodyValidator
    /// The JSONL file's name without extension, used in derived keys and as the fallback source.
    var fileStem: String

    func parse(_ line: ArraySlice<UInt8>, origin: InputOrigin) throws -> Submission {
        var bytes = line
        if origin.line == 1, bytes.starts(with: [0xEF, 0xBB, 0xBF]) { bytes = bytes.dropFirst(3) }
        // The line's own reading of the body, exact; JSONSerialization only explains a broken line and renders the
        // other fields.
        let flat = bytes.withUnsafeBufferPointer(FlatJSONObject.parse)
        if let flat, case .string(let text) = flat.value(of: "text"),
           Self.knownFieldBytes.allSatisfy({ name in
               flat.fields.first { $0.key == name }.map { $0.value != .other } ?? true
           }) {
            let extra = flat.fields.contains { !Self.knownFieldBytes.contains($0.key) } ? extraFields(bytes) : nil
            return try submission(line: line, origin: origin, text: text, extra: extra) {
                guard case .string(let value) = flat.value(of: $0) else { return nil }
                return Self.trimmed(value)
            }
        }
        let object: Any
        do {
            object = try JSONSerialization.jsonObject(with: Data(bytes), options: [])
        } catch {
            guard String(validating: bytes, as: UTF8.self) != nil else {
                throw InputProblem(origin: origin, message: "invalid UTF-8, not a JSON line")
            }
            throw InputProblem(origin: origin, message: "not valid JSON (\(Self.reason(error)))")
        }
        guard let record = object as? [String: Any] else {
            throw InputProblem(origin: origin, message: "a JSON \(Self.typeName(object)), expected an object")
        }
        guard let rawText = record["text"], !(rawText is NSNull) else {
            throw InputProblem(origin: origin, message: "no \"text\" field")
        }
        guard let text = rawText as? String else {
            throw InputProblem(origin: origin, message: "\"text\" is a \(Self.typeName(rawText)), expected a string")
        }
        return try submission(line: line, origin: origin, text: text, extra: Self.extraFields(of: record)) { field in
            let name = field.description
            guard let value = record[name], !(value is NSNull) else { return nil }
            guard let text = value as? String else {
                throw InputProblem(
                    origin: origin, message: "\"\(name)\" is a \(Self.typeName(value)), expected a string")
            }
            return Self.trimmed(text)
        }
    }

    /// The record's fields other than the known ones, as a JSON object text with sorted keys (`nil` if none).
    private static func extraFields(of record: [String: Any]) -> String? {
        let extraFields = record.filter { !knownFields.contains($0.key) }
        guard !extraFields.isEmpty,
              let data = try? JSONSerialization.data(withJSONObject: extraFields, options: [.sortedKeys]) else {
            return nil
        }
        return String(decoding: data, as: UTF8.self)
    }

    /// `extraFields(of:)` of a line that is valid JSON.
    private func extraFields(_ bytes: ArraySlice<UInt8>) -> String? {
        (try? JSONSerialization.jsonObject(with: Data(bytes)) as? [String: Any]).flatMap(Self.extraFields(of:))
    }

    /// The submission of a record whose `text` is known, given how to read its other fields.
    private func submission(
        line: ArraySlice<UInt8>, origin: InputOrigin, text: String, extra: String?,
        string: (StaticString) throws -> String?
    ) throws -> Submission {
        try validator.validate(text: text, origin: origin)
        let declared = DeclaredMetadata(
            url: try string("url"), source: try string("source"), title: try string("title"),
            fetchedAt: try string("fetched_at"), publishedAt: try string("published_at"), key: try string("key"),
            extra: extra)
        return Submission(
            origin: origin, body: text, declared: declared,
            inputSHA256: ContentDigest.sha256Hex(line),
            derivedKey: "\(fileStem).jsonl#\(origin.line ?? 0)", fallbackSource: fileStem, inputBytes: line.count + 1)
    }

    /// A field's value without surrounding whitespace; `nil` when nothing is left.
    private static func trimmed(_ text: String) -> String? {
        // Most values start and end with a visible ASCII character: nothing to trim, no Foundation call.
        if TextScanning.hasVisibleASCIIEnds(text.utf8) { return text }
        let trimmed = text.trimmingCharacters(in: .whitespacesAndNewlines)
        return trimmed.isEmpty ? nil : trimmed
    }

    private static func typeName(_ value: Any) -> String {
        switch value {
        case is String: "string"
        case is NSNumber: "number"
        case is [Any]: "array"
        case is [String: Any]: "object"
        case is NSNull: "null"
        default: "value"
        }
    }

    private static func reason(_ error: Error) -> String {
        let nsError = error as NSError
        return (nsError.userInfo[NSDebugDescriptionErrorKey] as? String) ?? nsError.localizedDescription
    }
}
