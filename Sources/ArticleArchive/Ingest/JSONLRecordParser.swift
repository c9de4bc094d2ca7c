import Foundation

/// Turns one JSONL line into a submission: a JSON object with a string `text`; `url`, `source`, `title`,
/// `fetched_at`, `published_at` and `key` optional strings; any other field kept as provenance.
struct JSONLRecordParser: Sendable {
    static let knownFields: Set<String> = ["text", "url", "source", "title", "fetched_at", "published_at", "key"]

    var validator: BodyValidator
    /// The JSONL file's name without extension, used in derived keys and as the fallback source.
    var fileStem: String

    func parse(_ line: ArraySlice<UInt8>, origin: InputOrigin) throws -> Submission {
        var bytes = line
        if origin.line == 1, bytes.starts(with: [0xEF, 0xBB, 0xBF]) { bytes = bytes.dropFirst(3) }
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
        try validator.validate(text: text, origin: origin)
        func string(_ field: String) throws -> String? {
            guard let value = record[field], !(value is NSNull) else { return nil }
            guard let text = value as? String else {
                throw InputProblem(
                    origin: origin, message: "\"\(field)\" is a \(Self.typeName(value)), expected a string")
            }
            let trimmed = text.trimmingCharacters(in: .whitespacesAndNewlines)
            return trimmed.isEmpty ? nil : trimmed
        }
        let extraFields = record.filter { !Self.knownFields.contains($0.key) }
        var extra: String?
        if !extraFields.isEmpty,
           let data = try? JSONSerialization.data(withJSONObject: extraFields, options: [.sortedKeys]) {
            extra = String(decoding: data, as: UTF8.self)
        }
        let declared = DeclaredMetadata(
            url: try string("url"), source: try string("source"), title: try string("title"),
            fetchedAt: try string("fetched_at"), publishedAt: try string("published_at"), key: try string("key"),
            extra: extra)
        return Submission(
            origin: origin, body: text, bodyBytes: Array(text.utf8), declared: declared,
            inputSHA256: ContentDigest.sha256Hex(Array(line)),
            derivedKey: "\(fileStem).jsonl#\(origin.line ?? 0)", fallbackSource: fileStem, inputBytes: line.count + 1)
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
