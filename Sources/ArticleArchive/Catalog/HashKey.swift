/// A 64-bit hash (an LSH bucket, an index key) as a dictionary key. The value is a hash already, so a multiply
/// spreads it over the table, where `UInt64`'s own hashing runs SipHash on every lookup and insert
/// (`_rawHashValue(seed:)` is the standard library's customisation point for one-shot hashing).
struct HashKey: Hashable, Sendable {
    var value: UInt64

    init(_ value: UInt64) { self.value = value }

    init(_ value: Int64) { self.value = UInt64(bitPattern: value) }

    func hash(into hasher: inout Hasher) { hasher.combine(value) }

    /// The table's seed mixed in (tables of other sizes then order keys differently), and the product's high half
    /// folded into the low bits the table indexes by.
    func _rawHashValue(seed: Int) -> Int {
        let mixed = (value ^ UInt64(UInt(bitPattern: seed))) &* 0x9E37_79B9_7F4A_7C15
        return Int(truncatingIfNeeded: mixed ^ mixed >> 32)
    }
}
