/// A set of line hashes, for telling a body's distinct lines apart: an open-addressing table probed by a multiply and
/// a shift, where `Set<Int64>` would run SipHash on every line of every body.
struct LineHashSet {
    private var slots: [Int64]
    private var shift: UInt64
    private var count = 0
    /// Whether 0, which marks an empty slot, is in the set.
    private var holdsZero = false

    /// A set with room for `capacity` hashes before it grows.
    init(capacity: Int = 64) {
        var bits = 4
        while 1 << bits < 2 * capacity { bits += 1 }
        slots = [Int64](repeating: 0, count: 1 << bits)
        shift = UInt64(64 - bits)
    }

    /// Adds `hash`; returns whether it was not in the set.
    mutating func insert(_ hash: Int64) -> Bool {
        if hash == 0 {
            defer { holdsZero = true }
            return !holdsZero
        }
        if 2 * (count + 1) > slots.count { grow() }
        let inserted = slots.withUnsafeMutableBufferPointer { Self.insert(hash, into: $0, shift: shift) }
        if inserted { count += 1 }
        return inserted
    }

    /// Whether `hash` is in the set.
    func contains(_ hash: Int64) -> Bool {
        if hash == 0 { return holdsZero }
        return slots.withUnsafeBufferPointer { Self.probe(hash, in: $0, shift: shift).found }
    }

    private static func insert(_ hash: Int64, into slots: UnsafeMutableBufferPointer<Int64>, shift: UInt64) -> Bool {
        let (slot, found) = probe(hash, in: UnsafeBufferPointer(slots), shift: shift)
        if !found { slots[slot] = hash }
        return !found
    }

    /// The slot holding `hash` (not 0), or the empty one where it would go.
    private static func probe(
        _ hash: Int64, in slots: UnsafeBufferPointer<Int64>, shift: UInt64
    ) -> (slot: Int, found: Bool) {
        var slot = Int(truncatingIfNeeded: (UInt64(bitPattern: hash) &* 0x9E37_79B9_7F4A_7C15) >> shift)
        while true {
            let held = slots[slot]
            if held == hash { return (slot, true) }
            if held == 0 { return (slot, false) }
            slot = (slot + 1) & (slots.count - 1)
        }
    }

    private mutating func grow() {
        let old = slots
        slots = [Int64](repeating: 0, count: old.count * 2)
        shift -= 1
        slots.withUnsafeMutableBufferPointer { slots in
            for hash in old where hash != 0 { _ = Self.insert(hash, into: slots, shift: shift) }
        }
    }
}
