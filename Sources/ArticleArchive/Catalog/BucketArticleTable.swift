import CPrefetch

/// Which articles are under which LSH buckets: a multimap from bucket to article in one open-addressed table
/// (linear probing, at most three quarters full, a slot holding both), so a bucket no article is under, the common
/// case, costs a few probes in one or two cache lines, where a dictionary of sole articles beside one of lists cost
/// two lookups and two cache misses.
///
/// Removing an article leaves its slots marked removed, so the probe sequences of the buckets after it stay whole;
/// they are dropped when the table grows.
struct BucketArticleTable: Sendable {
    private struct Slot {
        var bucket: UInt64
        /// `empty`, `removed`, or an article id (positive, as SQLite's row ids are).
        var article: Int64
    }

    private var slots: [Slot]
    /// Slots that are not empty (removed ones too).
    private var used = 0
    private var shift: UInt64

    private static let empty: Int64 = 0
    private static let removed: Int64 = -1

    /// A table with room for `expected` entries before it grows.
    init(expected: Int = 0) {
        var capacity = 64
        while 3 * capacity < 4 * expected { capacity *= 2 }
        slots = [Slot](repeating: Slot(bucket: 0, article: Self.empty), count: capacity)
        shift = UInt64(64 - capacity.trailingZeroBitCount)
    }

    /// Entries added and not removed, and removed ones not yet dropped.
    var count: Int { used }

    @inline(__always)
    private func slot(of bucket: UInt64) -> Int {
        Int(truncatingIfNeeded: (bucket &* 0x9E37_79B9_7F4A_7C15) >> shift)
    }

    /// Puts `article` under `bucket` (once: the caller adds an article under a bucket at most once).
    mutating func add(_ bucket: UInt64, _ article: Int64) {
        precondition(article > 0, "article ids are positive")
        if 4 * (used + 1) > 3 * slots.count { grow() }
        let mask = slots.count - 1
        var index = slot(of: bucket)
        while slots[index].article != Self.empty { index = (index + 1) & mask }
        slots[index] = Slot(bucket: bucket, article: article)
        used += 1
    }

    /// Takes `article` out from under `bucket`, if it is there.
    mutating func remove(_ bucket: UInt64, _ article: Int64) {
        let mask = slots.count - 1
        var index = slot(of: bucket)
        while slots[index].article != Self.empty {
            if slots[index].article == article && slots[index].bucket == bucket {
                slots[index].article = Self.removed
                return
            }
            index = (index + 1) & mask
        }
    }

    /// Starts loading the slot where `bucket`'s probe begins, so that the cache misses of an article's buckets
    /// overlap when all are prefetched before any is looked up.
    func prefetch(_ bucket: UInt64) {
        slots.withUnsafeBufferPointer { cprefetch_read($0.baseAddress! + slot(of: bucket)) }
    }

    /// Appends the articles under `bucket` (in no particular order).
    func appendArticles(under bucket: UInt64, to result: inout [Int64]) {
        slots.withUnsafeBufferPointer { slots in
            let mask = slots.count - 1
            var index = slot(of: bucket)
            while slots[index].article != Self.empty {
                if slots[index].bucket == bucket && slots[index].article != Self.removed {
                    result.append(slots[index].article)
                }
                index = (index + 1) & mask
            }
        }
    }

    /// Doubles the table, dropping removed slots.
    private mutating func grow() {
        var grown = BucketArticleTable(expected: slots.count)
        for slot in slots where slot.article > 0 { grown.add(slot.bucket, slot.article) }
        self = grown
    }
}
