import Foundation
import GRDB

/// Which verified pairs the catalog keeps: enough to answer any query threshold down to these.
enum SimilarityIndexing {
    static let bands = LSHBands.standard
    /// Pairs at or above this Jaccard similarity are stored.
    static let minimumJaccard = 0.2
    /// Pairs where the smaller article is at least this much contained in the larger are stored too.
    static let minimumContainment = 0.5
    /// Candidates taken from each band's bucket, oldest first: a story republished a thousand times costs each
    /// new copy a bounded number of verifications and edges, and still reaches the story's earliest articles,
    /// where its representative is.
    static let candidatesPerBucket = 32
    /// Shingle sets of recently indexed articles kept in memory (about 2.5 KB each).
    static let cachedShingleSets = 8192
}

/// A stored, verified pair of near-duplicate articles.
struct SimilarityEdge: Sendable {
    var first: Int64
    var second: Int64
    var similarity: Similarity
}

/// An article as clustering sees it.
struct ClusterCandidate: Sendable {
    var id: Int64
    var key: String
    var url: String?
    var source: String?
    var title: String?
    var firstSeenAt: Double
}

extension Catalog {
    /// Replaces an article's fingerprint, LSH buckets and similarity edges with those of its new latest version:
    /// finds candidates through the bands, verifies each on the exact shingle sets, and stores the pairs that
    /// pass. Runs inside the batch transaction, so the index always matches the recorded versions.
    /// - Parameters:
    ///   - isNew: the article was created in this transaction, so it has nothing to replace yet.
    ///   - cleanedObject: the cleaned text the fingerprint was made from, when known: its shingles are kept in
    ///     memory for the articles that arrive next.
    ///   - prepared: candidates found in the snapshot the batch was prepared in, used with `recent` (what was
    ///     indexed since) instead of looking the buckets up in `lsh`; `nil` to look them up.
    func index(
        _ fingerprint: ArticleFingerprint, article: Int64, version: Int64, isNew: Bool = false,
        cleanedObject: ObjectID? = nil, lsh: RunIndexUpdate, prepared: PreparedNeighbours? = nil,
        recent: inout RecentIndexing, in db: Database
    ) throws {
        if let cleanedObject { shingleCache.remember(fingerprint.shingles, of: cleanedObject) }
        if !isNew {
            let old = try Data.fetchOne(
                db.cachedStatement(sql: "SELECT buckets FROM fingerprints WHERE article_id = ?"), arguments: [article])
            lsh.remove(article: article, keys: LSHBucketList.decode(old.map(Array.init) ?? []).map(UInt64.init(bitPattern:)))
            try db.cachedStatement(sql: "DELETE FROM similarity_edges WHERE a = ?1 OR b = ?1")
                .execute(arguments: [article])
        }
        let buckets = prepared?.buckets ?? Self.buckets(of: fingerprint)
        let insertFingerprint = try db.cachedStatement(sql: """
            INSERT OR REPLACE INTO fingerprints (article_id, version_id, shingle_count, buckets) VALUES (?, ?, ?, ?)
            """)
        try LSHBucketList.withEncoded(buckets) { encoded in
            try insertFingerprint.run {
                $0.bind(article)
                $0.bind(version)
                $0.bind(fingerprint.shingles.values.count)
                $0.bind(blob: encoded)
            }
        }
        defer { recent.record(article, buckets: buckets, shingles: fingerprint.shingles) }
        guard !buckets.isEmpty else { return }
        // From each band's bucket, the oldest `candidatesPerBucket` other articles (gathered, then sorted and made
        // distinct: a handful, where a set hashed each).
        var candidates: [Int64] = []
        if let prepared {
            recent.prefetch(buckets)
            // One buffer for every band: a filtered copy per band was part of a tenth of the writer's indexing.
            var members: [Int64] = []
            for (band, bucket) in buckets.enumerated() {
                // Under the bucket now: the snapshot's articles not indexed again since, and those indexed since.
                members.removeAll(keepingCapacity: true)
                if let snapshotMembers = prepared.snapshotMembers[band] {
                    for member in snapshotMembers where !recent.wasReindexed(member) { members.append(member) }
                }
                recent.appendArticles(under: bucket, to: &members)
                members.sort()
                Self.appendCandidates(members, otherThan: article, to: &candidates)
            }
        } else {
            for bucket in Set(buckets) {
                Self.appendCandidates(
                    try lsh.articles(under: UInt64(bitPattern: bucket)), otherThan: article, to: &candidates)
            }
        }
        let insertEdge = try db.cachedStatement(sql: """
            INSERT OR REPLACE INTO similarity_edges (a, b, jaccard, containment) VALUES (?, ?, ?, ?)
            """)
        candidates.sort()
        for (position, other) in candidates.enumerated() where position == 0 || candidates[position - 1] != other {
            let similarity: Similarity
            if let shingles = recent.shingles(of: other) {
                similarity = fingerprint.shingles.similarity(to: shingles)
            } else if let verified = prepared?.verified[other] {
                guard let verified else { continue }
                similarity = verified
            } else {
                guard let shingles = try indexedShingles(of: other, in: db) else { continue }
                similarity = fingerprint.shingles.similarity(to: shingles)
            }
            guard similarity.jaccard >= SimilarityIndexing.minimumJaccard
                || similarity.containment >= SimilarityIndexing.minimumContainment else { continue }
            try insertEdge.run {
                $0.bind(min(article, other))
                $0.bind(max(article, other))
                $0.bind(similarity.jaccard)
                $0.bind(similarity.containment)
            }
        }
        lsh.add(article: article, keys: buckets.map(UInt64.init(bitPattern:)))
    }

    /// Appends the first `SimilarityIndexing.candidatesPerBucket` of a bucket's `members`, in their order, other than
    /// `article`, in a plain loop: appending a lazy filter's prefix was the rest of that tenth.
    private static func appendCandidates(_ members: [Int64], otherThan article: Int64, to candidates: inout [Int64]) {
        var taken = 0
        for member in members where member != article {
            guard taken < SimilarityIndexing.candidatesPerBucket else { break }
            candidates.append(member)
            taken += 1
        }
    }

    /// `index(_:article:version:isNew:cleanedObject:lsh:prepared:recent:in:)` looking candidates up in `lsh`, for
    /// writes outside an ingest (reclean, repair).
    func index(
        _ fingerprint: ArticleFingerprint, article: Int64, version: Int64, lsh: RunIndexUpdate, in db: Database
    ) throws {
        var recent = RecentIndexing(dataVersion: 0)
        try index(fingerprint, article: article, version: version, lsh: lsh, recent: &recent, in: db)
    }

    /// The LSH buckets of a fingerprint; none when it has no shingles.
    static func buckets(of fingerprint: ArticleFingerprint) -> [Int64] {
        fingerprint.shingles.values.isEmpty ? [] : SimilarityIndexing.bands.buckets(fingerprint.signature)
    }

    /// The candidates of a fingerprint in `db` (a snapshot the batch is prepared in), each verified: the first
    /// `candidatesPerBucket` of each bucket and a few more, in case some were indexed again before the batch is
    /// written (the writer verifies any it lacks itself).
    /// - Parameters:
    ///   - own: the article the fingerprint belongs to, if it exists in `db`.
    ///   - lsh: the LSH index as `db` lists it.
    func neighbours(
        of fingerprint: ArticleFingerprint, own: Int64?, lsh: RunIndexReader, in db: Database
    ) throws -> PreparedNeighbours {
        var neighbours = PreparedNeighbours(buckets: Self.buckets(of: fingerprint))
        var candidates = Set<Int64>()
        let membersOfBands = try lsh.articles(under: neighbours.buckets.map { UInt64(bitPattern: $0) })
        for (band, members) in membersOfBands.enumerated() {
            guard !members.isEmpty else { continue }
            neighbours.snapshotMembers[band] = members
            candidates.formUnion(members.lazy.filter { $0 != own }.prefix(SimilarityIndexing.candidatesPerBucket + 8))
        }
        for other in candidates {
            neighbours.verified[other] = try indexedShingles(of: other, in: db).map(fingerprint.shingles.similarity)
        }
        return neighbours
    }

    /// Every article's LSH buckets, from the fingerprints: what the LSH index holds, to rebuild it.
    static func everyLSHBucket(in db: Database, _ body: (RunRecord) throws -> Void) throws {
        let rows = try Row.fetchCursor(db, sql: """
            SELECT article_id, buckets FROM fingerprints WHERE length(buckets) > 0 ORDER BY article_id
            """)
        while let row = try rows.next() {
            let article: Int64 = row[0]
            for bucket in LSHBucketList.decode(Array(row[1] as Data)) {
                try body(RunRecord(key: UInt64(bitPattern: bucket), article: article))
            }
        }
    }

    /// The shingle set of an indexed article, derived from the cleaned text it was indexed with (the current
    /// cleaning of its fingerprinted version); `nil` when that text cannot be read, so the pair is not verified.
    func indexedShingles(of article: Int64, in db: Database) throws -> CompactShingles? {
        guard let row = try db.cachedStatement(sql: """
            SELECT cg.object, cg.object_row FROM fingerprints f
            JOIN cleanings cg ON cg.id = (SELECT max(id) FROM cleanings WHERE version_id = f.version_id)
            WHERE f.article_id = ?
            """).firstRow({ $0.bind(article) }, read: { (object: $0.string(0), objectRow: $0.int64(1)) }),
            let id = row.object.flatMap(ObjectID.init(hex:)) else { return nil }
        if let cached = shingleCache.shingles(of: id) { return cached }
        let objectRow = row.objectRow
        guard let bytes = try? objects.read(id, packedAt: { try location(ofRow: objectRow, in: db) }) else { return nil }
        let shingles = CompactShingles(text: String(decoding: bytes, as: UTF8.self))
        shingleCache.remember(shingles, of: id)
        return shingles
    }

    /// Every stored edge at or above the given similarity.
    func similarityEdges(minimumJaccard: Double, minimumContainment: Double) throws -> [SimilarityEdge] {
        try pool.read { db in
            try Row.fetchAll(db, sql: """
                SELECT a, b, jaccard, containment FROM similarity_edges WHERE jaccard >= ? OR containment >= ?
                """, arguments: [minimumJaccard, minimumContainment]
            ).map { SimilarityEdge(first: $0[0], second: $0[1], similarity: Similarity(jaccard: $0[2], containment: $0[3])) }
        }
    }

    /// Every article, earliest first (the order that picks each cluster's representative).
    func clusterCandidates() throws -> [ClusterCandidate] {
        try pool.read { db in
            try Row.fetchAll(db, sql: """
                SELECT id, key, url, source, title, first_seen_at FROM articles ORDER BY first_seen_at, id
                """).map {
                ClusterCandidate(id: $0[0], key: $0[1], url: $0[2], source: $0[3], title: $0[4], firstSeenAt: $0[5])
            }
        }
    }

    /// The stored edges of one article.
    func similarityEdges(of key: String) throws -> [(ClusterCandidate, Similarity)] {
        try pool.read { db in
            try Row.fetchAll(db, sql: """
                SELECT o.id, o.key, o.url, o.source, o.title, o.first_seen_at, e.jaccard, e.containment
                FROM articles me
                JOIN similarity_edges e ON e.a = me.id OR e.b = me.id
                JOIN articles o ON o.id = CASE WHEN e.a = me.id THEN e.b ELSE e.a END
                WHERE me.key = ?
                """, arguments: [key]
            ).map {
                (ClusterCandidate(id: $0[0], key: $0[1], url: $0[2], source: $0[3], title: $0[4], firstSeenAt: $0[5]),
                 Similarity(jaccard: $0[6], containment: $0[7]))
            }
        }
    }
}
