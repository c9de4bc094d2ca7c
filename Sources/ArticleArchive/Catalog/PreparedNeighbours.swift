/// The near-duplicate candidates of an arrival as the preparing threads found them, in the snapshot of the catalog
/// the batch was prepared in: its LSH buckets, the articles under them, and each candidate's verified similarity.
///
/// Finding and verifying candidates is most of the similarity index's work, and it runs on every core this way;
/// the writer only completes the answer with the articles indexed after the snapshot (`RecentIndexing`).
struct PreparedNeighbours: Sendable {
    /// The LSH bucket of each band; empty when the text has no shingles.
    var buckets: [Int64]
    /// The articles under each band's bucket in the snapshot, lowest id first; bands with none are left out.
    var snapshotMembers: [Int: [Int64]] = [:]
    /// The similarity of each candidate verified in the snapshot; `nil` when its text could not be read.
    var verified: [Int64: Similarity?] = [:]
}
