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
    var fingerprint: ArticleFingerprint
    /// The fingerprint's candidates in the snapshot the capture was prepared in (`nil` for a re-fetch of the
    /// latest version, which is not indexed again).
    var neighbours: PreparedNeighbours?
}
