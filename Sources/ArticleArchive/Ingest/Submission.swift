/// One article body read from the input, validated, with what is known about it.
struct Submission: Sendable {
    var origin: InputOrigin
    /// The body, whose UTF-8 is the bytes received (validated, never changed): held once, as text; its bytes are
    /// read in place, or copied where they are kept (a batch's next bodies are read while the last is prepared).
    var body: String
    var declared: DeclaredMetadata
    var inputSHA256: String
    /// The key to use when neither an explicit key nor a URL is known.
    var derivedKey: String
    /// The source to use when none is declared and the URL has no host.
    var fallbackSource: String?
    /// The bytes of input this arrival took (its file, or its JSONL line), for progress reports.
    var inputBytes: Int

    /// The size of the body in bytes.
    var bodyByteCount: Int { body.utf8.count }

    /// Calls `work` with the body's bytes, in place.
    func withBodyBytes<Result>(_ work: (UnsafeRawBufferPointer) throws -> Result) rethrows -> Result {
        var text = body
        return try text.withUTF8 { try work(UnsafeRawBufferPointer($0)) }
    }
}
