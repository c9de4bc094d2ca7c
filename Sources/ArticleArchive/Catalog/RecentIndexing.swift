/// What the writer did after the snapshot the batch it is writing was prepared in: the articles (re)indexed by the
/// previous batch and by this one so far, with their buckets and shingles, and the objects the previous batch
/// stored. With it, the candidates a preparing thread found in the snapshot (`PreparedNeighbours`) become exactly
/// those the committed index holds, and objects the snapshot did not list are known to be new without asking.
///
/// That holds only if no other process committed meanwhile; the writer learns this from SQLite's `data_version`,
/// which changes when another connection commits, and otherwise looks candidates up in the index itself.
struct RecentIndexing: Sendable {
    private struct Entry: Sendable {
        var buckets: [Int64]
        var shingles: CompactShingles
        var batch: Int
    }

    private var entries: [Int64: Entry] = [:]
    /// Objects the previous batch stored, and those this batch stores.
    private var storedByPreviousBatch: Set<ObjectID> = []
    private var storedByThisBatch: Set<ObjectID> = []
    private var articlesByBucket: [Int64: [Int64]] = [:]
    private var batch = 0
    private var dataVersion: Int64
    /// Transactions in a row that found no commit of another connection since the previous one (the ingest's start
    /// counts as one).
    private var cleanChecks = 1

    /// - Parameter dataVersion: the writer connection's `PRAGMA data_version` before the first batch's snapshot.
    init(dataVersion: Int64) {
        self.dataVersion = dataVersion
    }

    /// Whether nobody else committed since the snapshot of the batch about to be written, as far as `data_version`
    /// (read now, outside a transaction) tells.
    func nobodyElseCommitted(dataVersion current: Int64) -> Bool {
        current == dataVersion && cleanChecks >= 1
    }

    /// Whether the previous batch stored the object.
    func wasStoredSinceSnapshot(_ id: ObjectID) -> Bool { storedByPreviousBatch.contains(id) }

    /// Records objects this batch stores.
    mutating func noteStored(_ ids: some Sequence<ObjectID>) { storedByThisBatch.formUnion(ids) }

    /// Starts writing a batch, given the writer's `data_version` in its transaction.
    /// - Returns: whether the batch's prepared neighbours can be used (nobody else committed since its snapshot:
    ///   taken at the start of the ingest for the first batch, after the batch before the previous one otherwise).
    mutating func startBatch(dataVersion current: Int64) -> Bool {
        cleanChecks = current == dataVersion ? cleanChecks + 1 : 0
        dataVersion = current
        batch += 1
        return cleanChecks >= 2
    }

    /// Ends the batch: what the batch before it indexed is in every later snapshot.
    mutating func finishBatch() {
        let stale = entries.filter { $0.value.batch < batch }
        for (article, entry) in stale { forget(article, entry) }
        storedByPreviousBatch = storedByThisBatch
        storedByThisBatch = []
    }

    /// Whether the article was indexed again after the snapshot (its snapshot buckets are out of date).
    func wasReindexed(_ article: Int64) -> Bool { entries[article] != nil }

    /// The articles indexed after the snapshot that are under `bucket`.
    func articles(under bucket: Int64) -> [Int64] { articlesByBucket[bucket] ?? [] }

    /// The shingles an article was indexed with after the snapshot.
    func shingles(of article: Int64) -> CompactShingles? { entries[article]?.shingles }

    /// Records that the article is now indexed under `buckets` with `shingles`.
    mutating func record(_ article: Int64, buckets: [Int64], shingles: CompactShingles) {
        if let old = entries[article] { forget(article, old) }
        entries[article] = Entry(buckets: buckets, shingles: shingles, batch: batch)
        // Bands hash their band number in, so an article's buckets are distinct.
        for bucket in buckets { articlesByBucket[bucket, default: []].append(article) }
    }

    private mutating func forget(_ article: Int64, _ entry: Entry) {
        entries[article] = nil
        for bucket in entry.buckets {
            articlesByBucket[bucket]?.removeAll { $0 == article }
            if articlesByBucket[bucket]?.isEmpty == true { articlesByBucket[bucket] = nil }
        }
    }
}
