/// One article body read from the input, validated, with what is known about it.
struct Submission: Sendable {
    var origin: InputOrigin
    var body: String
    var bodyBytes: [UInt8]
    var declared: DeclaredMetadata
    var inputSHA256: String
    /// The key to use when neither an explicit key nor a URL is known.
    var derivedKey: String
    /// The source to use when none is declared and the URL has no host.
    var fallbackSource: String?
    /// The bytes of input this arrival took (its file, or its JSONL line), for progress reports.
    var inputBytes: Int
}
