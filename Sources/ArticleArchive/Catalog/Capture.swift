import Foundation

/// One arrival of an article, changed or not, with everything known about where it came from.
public struct Capture: Codable, Sendable, Equatable {
    /// The article's key.
    public var key: String
    /// The version the arrival's body is (an existing one when `outcome` is `unchanged`).
    public var version: Int
    /// What the arrival changed.
    public var outcome: CaptureOutcome
    /// When the archive recorded the arrival.
    public var capturedAt: Date
    /// Where the body came from.
    public var origin: InputOrigin
    /// SHA-256 of the input unit itself: the file, the JSONL line, or standard input.
    public var inputSHA256: String
    /// Length of the body in bytes.
    public var bodySize: Int
    /// What the input declared about the article.
    public var declared: DeclaredMetadata
    /// The version of `archive` that recorded the arrival.
    public var toolVersion: String
    /// The ingest run that recorded the arrival.
    public var run: Int64

    enum CodingKeys: String, CodingKey {
        case key, version, outcome, origin, declared, run
        case capturedAt = "captured_at"
        case inputSHA256 = "input_sha256"
        case bodySize = "body_size"
        case toolVersion = "tool_version"
    }
}
