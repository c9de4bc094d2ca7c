/// Sorting a transaction's changes into a run: by key (uniform 64-bit hashes, so a counting pass on their top bits
/// spreads them evenly over buckets of one or two), then article, the last change of an article under a key
/// winning. Sorting this way took a tenth of the comparison sort's instructions on a batch of LSH buckets.
enum RunRecordSorting {
    /// The records of `changes` (given in the order they were made) in run order, one per key and article: the
    /// last one made.
    static func sortedLatest(_ changes: [RunRecord]) -> [RunRecord] {
        guard changes.count > 1 else { return changes }
        var bits = 1
        while 1 << bits < changes.count { bits += 1 }
        let shift = UInt64(64 - bits)
        var starts = [Int](repeating: 0, count: (1 << bits) + 1)
        for change in changes { starts[Int(change.key >> shift) + 1] += 1 }
        for bucket in 1..<starts.count { starts[bucket] += starts[bucket - 1] }
        // Each bucket's changes in the order they were made, so equal records keep that order.
        var order = [Int32](repeating: 0, count: changes.count)
        var next = starts
        for (position, change) in changes.enumerated() {
            let bucket = Int(change.key >> shift)
            order[next[bucket]] = Int32(position)
            next[bucket] += 1
        }
        var sorted: [RunRecord] = []
        sorted.reserveCapacity(changes.count)
        changes.withUnsafeBufferPointer { changes in
            order.withUnsafeMutableBufferPointer { order in
                for bucket in 0..<(starts.count - 1) {
                    let range = starts[bucket]..<starts[bucket + 1]
                    guard !range.isEmpty else { continue }
                    // Insertion sort by (key, article, position made): buckets hold one or two.
                    if range.count > 1 {
                        for index in (range.lowerBound + 1)..<range.upperBound {
                            let moving = order[index]
                            var hole = index
                            while hole > range.lowerBound && precedes(changes, moving, order[hole - 1]) {
                                order[hole] = order[hole - 1]
                                hole -= 1
                            }
                            order[hole] = moving
                        }
                    }
                    for index in range {
                        let record = changes[Int(order[index])]
                        // The later change of the same article under the same key replaces the earlier one.
                        if let last = sorted.last, last.key == record.key, last.article == record.article {
                            sorted[sorted.count - 1] = record
                        } else {
                            sorted.append(record)
                        }
                    }
                }
            }
        }
        return sorted
    }

    @inline(__always)
    private static func precedes(_ changes: UnsafeBufferPointer<RunRecord>, _ a: Int32, _ b: Int32) -> Bool {
        let x = changes[Int(a)], y = changes[Int(b)]
        if x.key != y.key { return x.key < y.key }
        if x.article != y.article { return x.article < y.article }
        return a < b
    }
}
