/// Counts and sizes over a whole archive.
public struct CatalogStatistics: Codable, Sendable, Equatable {
    /// Logical articles.
    public var articles: Int
    /// Distinct bodies over all articles.
    public var versions: Int
    /// Arrivals recorded, changed or not.
    public var captures: Int
    /// Arrivals that changed nothing.
    public var unchangedCaptures: Int
    /// Distinct objects (raw and cleaned bodies) in the store.
    public var objects: Int
    /// Uncompressed length of all distinct objects.
    public var objectBytes: Int
    /// Compressed length of all object files.
    public var storedBytes: Int
    /// Length of every body that arrived, counting repeats: what an archive without dedup would hold raw.
    public var capturedBytes: Int
    /// Length of the raw bodies of all versions.
    public var versionBytes: Int
    /// Distinct sources.
    public var sources: Int
    /// Ingest runs.
    public var ingestRuns: Int
    /// Bytes on disk of the object store (pack files, their indexes, loose objects).
    public var objectFileBytes = 0
    /// Bytes on disk of the catalog (the SQLite database and its write-ahead log).
    public var catalogFileBytes = 0

    enum CodingKeys: String, CodingKey {
        case articles, versions, captures, objects, sources
        case unchangedCaptures = "unchanged_captures"
        case objectBytes = "object_bytes"
        case storedBytes = "stored_bytes"
        case capturedBytes = "captured_bytes"
        case versionBytes = "version_bytes"
        case ingestRuns = "ingest_runs"
        case objectFileBytes = "object_file_bytes"
        case catalogFileBytes = "catalog_file_bytes"
    }
}
