import Foundation

/// What an ingest did.
public struct IngestReport: Codable, Sendable, Equatable {
    /// Arrivals that created an article.
    public var newArticles = 0
    /// Arrivals that created a new version of an existing article.
    public var newVersions = 0
    /// Arrivals whose body equals the article's latest version.
    public var unchanged = 0
    /// Input units rejected (each was reported to the problem handler).
    public var rejected = 0
    /// Object files written (bodies not already in the store).
    public var objectsWritten = 0
    /// Bytes of accepted bodies.
    public var bodyBytes = 0
    /// Bytes of object files written.
    public var storedBytes = 0
    /// Wall-clock seconds.
    public var seconds = 0.0
    /// Seconds spent preparing batches on every core (clean, hash, compress, fingerprint).
    public var prepareSeconds = 0.0
    /// Seconds the writer spent on batches (pack files, catalog transactions), alongside the preparing.
    public var writeSeconds = 0.0
    /// Of those, seconds in the similarity index (LSH lookups, verifying candidates, LSH inserts).
    public var similaritySeconds = 0.0
    /// Seconds copying the catalog's write-ahead log into the database between batches.
    public var checkpointSeconds = 0.0
    /// Articles indexed for near-duplicates (new articles and new versions).
    public var indexedArticles = 0

    /// Arrivals recorded.
    public var captures: Int { newArticles + newVersions + unchanged }

    enum CodingKeys: String, CodingKey {
        case unchanged, rejected, seconds
        case newArticles = "new_articles"
        case newVersions = "new_versions"
        case objectsWritten = "objects_written"
        case bodyBytes = "body_bytes"
        case storedBytes = "stored_bytes"
        case prepareSeconds = "prepare_seconds"
        case writeSeconds = "write_seconds"
        case similaritySeconds = "similarity_seconds"
        case indexedArticles = "indexed_articles"
        case checkpointSeconds = "checkpoint_seconds"
    }
}
