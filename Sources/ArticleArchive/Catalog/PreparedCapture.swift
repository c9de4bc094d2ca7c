/// One arrival ready to be recorded: its objects are already in the store.
struct PreparedCapture: Sendable {
    var key: String
    var declared: DeclaredMetadata
    var source: String?
    var origin: InputOrigin
    var inputSHA256: String
    var raw: ObjectStore.StoredObject
    var cleaned: ObjectStore.StoredObject
    var cleanedTitle: String?
    var cleaner: CleanerIdentity
    /// The body's distinct line hashes, learned as evidence of the source's template.
    var templateLines: [Int64]
    /// The cleaned text's fingerprint, indexed when the capture makes a new article or version.
    var fingerprint: PreparedFingerprint
    /// The fingerprint's candidates in the snapshot the capture was prepared in (`nil` for a re-fetch of the
    /// latest version, which is not indexed again).
    var neighbours: PreparedNeighbours?
}

/// The fingerprint of a capture's cleaned text, made when the capture is prepared, or only if it is needed.
enum PreparedFingerprint: Sendable {
    case made(ArticleFingerprint)
    /// A re-fetch of the article's latest version: its fingerprint is indexed already, and is made from the cleaned
    /// text only should another version have arrived meanwhile (the capture then makes a new version after all).
    case ofCleanedText([UInt8])

    /// The fingerprint, made now if it was not.
    var made: ArticleFingerprint {
        switch self {
        case .made(let fingerprint): fingerprint
        case .ofCleanedText(let bytes): ArticleFingerprint(text: String(decoding: bytes, as: UTF8.self))
        }
    }
}
