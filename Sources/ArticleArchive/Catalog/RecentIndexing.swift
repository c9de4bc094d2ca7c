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
    }

    /// What one batch indexed. The previous batch's is dropped whole when a batch ends (one table freed, where
    /// removing a batch's articles one bucket at a time was a fortieth of the ingest).
    private struct Generation: Sendable {
        var entries: [Int64: Entry] = [:]
        var buckets: BucketArticleTable

        init(expected: Int = 0) {
            entries.reserveCapacity(expected)
            buckets = BucketArticleTable(expected: expected * SimilarityIndexing.bands.bands)
        }

        mutating func add(_ article: Int64, _ entry: Entry) {
            entries[article] = entry
            for bucket in entry.buckets { buckets.add(UInt64(bitPattern: bucket), article) }
        }

        /// Removes the article, if this generation indexed it.
        mutating func remove(_ article: Int64) {
            guard let entry = entries.removeValue(forKey: article) else { return }
            for bucket in entry.buckets { buckets.remove(UInt64(bitPattern: bucket), article) }
        }

        func appendArticles(under bucket: Int64, to result: inout [Int64]) {
            buckets.appendArticles(under: UInt64(bitPattern: bucket), to: &result)
        }
    }

    /// What the previous batch indexed, and what this one has so far (an article is in one of them at most).
    private var previous = Generation()
    private var current = Generation()
    /// Objects the previous batch stored, and those this batch stores.
    private var storedByPreviousBatch: Set<ObjectID> = []
    private var storedByThisBatch: Set<ObjectID> = []
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
        return cleanChecks >= 2
    }

    /// Ends the batch: what the batch before it indexed is in every later snapshot.
    mutating func finishBatch() {
        previous = current
        current = Generation(expected: previous.entries.count)
        storedByPreviousBatch = storedByThisBatch
        storedByThisBatch = []
    }

    /// Whether the article was indexed again after the snapshot (its snapshot buckets are out of date).
    func wasReindexed(_ article: Int64) -> Bool {
        current.entries[article] != nil || previous.entries[article] != nil
    }

    /// Starts loading where the buckets are looked up, before `appendArticles(under:to:)` is called for each.
    func prefetch(_ buckets: [Int64]) {
        for bucket in buckets {
            previous.buckets.prefetch(UInt64(bitPattern: bucket))
            current.buckets.prefetch(UInt64(bitPattern: bucket))
        }
    }

    /// Appends the articles indexed after the snapshot that are under `bucket` (in no particular order).
    func appendArticles(under bucket: Int64, to result: inout [Int64]) {
        previous.appendArticles(under: bucket, to: &result)
        current.appendArticles(under: bucket, to: &result)
    }

    /// The shingles an article was indexed with after the snapshot.
    func shingles(of article: Int64) -> CompactShingles? {
        (current.entries[article] ?? previous.entries[article])?.shingles
    }

    /// Records that the article is now indexed under `buckets` with `shingles`.
    mutating func record(_ article: Int64, buckets: [Int64], shingles: CompactShingles) {
        previous.remove(article)
        current.remove(article)
        // Bands hash their band number in, so an article's buckets are distinct.
        current.add(article, Entry(buckets: buckets, shingles: shingles))
    }
}
