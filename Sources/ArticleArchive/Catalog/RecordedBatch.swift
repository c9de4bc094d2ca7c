/// What recording a batch did.
struct RecordedBatch: Sendable {
    /// The outcome of each arrival, in order.
    var outcomes: [CaptureOutcome] = []
    /// Articles (re)indexed for near-duplicates: LSH lookups, verification of candidates, LSH inserts.
    var indexedArticles = 0
    /// Seconds spent doing so.
    var similaritySeconds = 0.0
    /// Seconds spent recording lines for template learning.
    var templateSeconds = 0.0
}
