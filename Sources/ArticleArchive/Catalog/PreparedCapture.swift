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
    /// A re-fetch of the article's latest version: its fingerprint is indexed already, and is made from that
    /// version's cleaned text, read only then, should another version have arrived meanwhile (the capture then makes
    /// a new version after all). Reading and inflating every re-fetch's text just in case was a quarter of the CPU
    /// of an ingest of re-fetches.
    case ofCleanedObject(ObjectID, at: ObjectLocation?)

    /// The fingerprint, made now if it was not, reading the cleaned text from `store`. A text that cannot be read
    /// makes an empty fingerprint: the capture is still recorded, and the article is no one's near-duplicate until it
    /// is cleaned again (`archive verify` reports the object).
    func made(readingFrom store: ObjectStore) -> ArticleFingerprint {
        switch self {
        case .made(let fingerprint):
            return fingerprint
        case .ofCleanedObject(let id, let location):
            guard let bytes = try? store.read(id, packedAt: { location }) else { return ArticleFingerprint(text: "") }
            return ArticleFingerprint(text: String(decoding: bytes, as: UTF8.self))
        }
    }
}
