/// How an ingest treats its inputs.
public struct IngestOptions: Sendable {
    /// The key of the one article being ingested (only with a single text input).
    public var key: String?
    /// The URL of the one article being ingested (only with a single text input).
    public var url: String?
    /// The source of every article whose input declares none.
    public var source: String?
    /// The fetch time of every article whose input declares none.
    public var fetchedAt: String?
    /// The largest body accepted, in bytes; larger ones are rejected with a message.
    public var maximumBodyBytes: Int
    /// The most input units (files, JSONL lines, rejected ones included) per batch, committed to the catalog in one
    /// transaction (batches start at 64 and double up to it).
    public var batchSize: Int
    /// The batch size unless one is given. Each batch costs some 20 ms of CPU whatever its size (a run file per index
    /// and the merges they bring, a pack and its index, a transaction, snapshots): at 100k arrivals, 2000 took 10%
    /// less CPU and 12% less time than 1000, and 3000 no less than 2000, for about 50 MB more memory in flight.
    public static let defaultBatchSize = 2000
    /// Read standard input as JSONL records rather than as one text body.
    public var standardInputIsJSONL: Bool
    /// The command line, recorded with the ingest run for provenance.
    public var arguments: [String]

    /// Creates options.
    public init(
        key: String? = nil, url: String? = nil, source: String? = nil, fetchedAt: String? = nil,
        maximumBodyBytes: Int = 64 << 20, batchSize: Int = IngestOptions.defaultBatchSize,
        standardInputIsJSONL: Bool = false, arguments: [String] = []
    ) {
        self.key = key
        self.url = url
        self.source = source
        self.fetchedAt = fetchedAt
        self.maximumBodyBytes = maximumBodyBytes
        self.batchSize = batchSize
        self.standardInputIsJSONL = standardInputIsJSONL
        self.arguments = arguments
    }
}
