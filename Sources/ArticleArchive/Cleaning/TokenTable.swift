/// A fixed set of 64-bit token hashes, each with a few flag bits: an open-addressing table probed by a multiply and
/// a shift, where `Set<UInt64>` would run SipHash on every token of every line.
///
/// Nearly every token looked up is absent, so a bitmap of 64 bits per hash present (one set for each) answers most
/// lookups first: one load from a bitmap that stays in the L1 cache and a branch that is almost never taken, where
/// the table alone sent a quarter of absent tokens on to a second place, a branch the processor cannot predict.
///
/// The table is for the lexicon's tables, which live as long as the process: its memory is never freed, so copying
/// the table (a line's statistics hold it) counts no references.
struct TokenTable: @unchecked Sendable {
    private let keys: UnsafePointer<UInt64>
    private let flags: UnsafePointer<UInt8>
    private let mask: Int
    private let shift: UInt64
    private let filter: UnsafePointer<UInt64>
    private let filterShift: UInt64

    /// - Parameter entries: hash -> flags (flags of a hash listed twice are combined; 0 stands for absent).
    init(_ entries: [(hash: UInt64, flags: UInt8)]) {
        var bits = 4
        while 1 << bits < entries.count * 4 { bits += 1 }  // at most a quarter full: most probes end at once
        var keys = [UInt64](repeating: 0, count: 1 << bits)
        var flags = [UInt8](repeating: 0, count: 1 << bits)
        shift = UInt64(64 - bits)
        for (hash, value) in entries where value != 0 {
            precondition(hash != 0, "a token hash of 0 cannot be stored")
            var slot = Self.slot(hash, shift)
            while keys[slot] != 0 && keys[slot] != hash { slot = (slot + 1) & (keys.count - 1) }
            keys[slot] = hash
            flags[slot] |= value
        }
        var filterBits = 12
        while 1 << filterBits < entries.count * 64 { filterBits += 1 }
        var filter = [UInt64](repeating: 0, count: 1 << (filterBits - 6))
        filterShift = UInt64(64 - filterBits)
        for (hash, value) in entries where value != 0 {
            let bit = Self.filterBit(hash, filterShift)
            filter[bit >> 6] |= 1 << UInt64(bit & 63)
        }
        self.filter = UnsafePointer(Self.immortalCopy(filter))
        self.keys = UnsafePointer(Self.immortalCopy(keys))
        self.flags = UnsafePointer(Self.immortalCopy(flags))
        mask = keys.count - 1
    }

    private static func immortalCopy<Element>(_ array: [Element]) -> UnsafeMutablePointer<Element> {
        let copy = UnsafeMutablePointer<Element>.allocate(capacity: array.count)
        copy.initialize(from: array, count: array.count)
        return copy
    }

    @inline(__always)
    private static func slot(_ hash: UInt64, _ shift: UInt64) -> Int {
        Int(truncatingIfNeeded: (hash &* 0x9E37_79B9_7F4A_7C15) >> shift)
    }

    /// The filter's bit for `hash`: from a multiplier other than the table's, so that hashes sharing a place in
    /// the table are told apart.
    @inline(__always)
    private static func filterBit(_ hash: UInt64, _ shift: UInt64) -> Int {
        Int(truncatingIfNeeded: (hash &* 0xC2B2_AE3D_27D4_EB4F) >> shift)
    }

    /// The flags of `hash`, 0 when it is not in the table.
    @inline(__always)
    func flags(of hash: UInt64) -> UInt8 {
        let bit = Self.filterBit(hash, filterShift)
        guard filter[bit &>> 6] & (1 &<< UInt64(bit & 63)) != 0 else { return 0 }
        var slot = Self.slot(hash, shift)
        while true {
            let key = keys[slot]
            if key == hash { return flags[slot] }
            if key == 0 { return 0 }
            slot = (slot &+ 1) & mask
        }
    }
}
