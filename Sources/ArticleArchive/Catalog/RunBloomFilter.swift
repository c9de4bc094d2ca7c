import CPrefetch

/// A blocked Bloom filter over the keys of one sorted run: says "absent" for most keys the run does not hold, so a
/// lookup skips the run without reading a block of it.
///
/// Each key sets 8 bits in one 512-bit block (one bit per 64-bit word, as in the split-block filters of Parquet
/// and Impala), so a query touches one cache line. At 7 bits of filter per key about 5% of absent keys pass (3% at
/// 8 bits, 1% at 10). Most lookups are of absent keys: an LSH band of a story seen nowhere else, a line of body text
/// no other page of the site has. The filters are what grows with the archive (a million articles' runs hold some
/// 52M keys): 7 bits took 7 MB from the peak at a million articles (x1.50 -> x1.45 of 10k) for no CPU measurable at
/// 100k and 2.6% at a million (the extra blocks read for the keys that pass); at 6 bits, 4% more at a million.
struct RunBloomFilter: Sendable, Equatable {
    static let wordsPerBlock = 8
    static let bytesPerBlock = 64
    /// Filter bits per key: a run of n keys gets about 7n bits.
    static let bitsPerKey = 7

    /// The filter's words, `wordsPerBlock` per block.
    private(set) var words: [UInt64]
    /// The first of the blocks held (0 but for a section, `init(section:of:)`).
    private let firstBlock: Int
    /// The blocks of the whole filter (more than `blockCount` only for a section).
    private let totalBlocks: Int

    /// The blocks held.
    var blockCount: Int { words.count / Self.wordsPerBlock }

    /// The blocks of a filter sized for at most `keys` keys.
    static func blockCount(capacity keys: Int) -> Int {
        max(1, (keys * bitsPerKey + 511) / 512)
    }

    /// An empty filter sized for at most `keys` keys.
    init(capacity keys: Int) {
        let blocks = Self.blockCount(capacity: keys)
        self.init(section: 0..<blocks, of: blocks)
    }

    /// An empty section of a filter of `totalBlocks` blocks: the blocks `blocks` alone, which keys of other blocks
    /// leave as they are. A large run's filter is made a section at a time, so that it is never whole in memory
    /// beside the filters of the runs it replaces (`SortedRunWriter`). Only a whole filter answers `mayContain`.
    init(section blocks: Range<Int>, of totalBlocks: Int) {
        precondition(!blocks.isEmpty && blocks.lowerBound >= 0 && blocks.upperBound <= totalBlocks)
        words = [UInt64](repeating: 0, count: blocks.count * Self.wordsPerBlock)
        firstBlock = blocks.lowerBound
        self.totalBlocks = totalBlocks
    }

    /// A filter as a run file stores it: `blockCount` blocks of little-endian words.
    init(words: [UInt64]) {
        precondition(!words.isEmpty && words.count % Self.wordsPerBlock == 0)
        self.words = words
        firstBlock = 0
        totalBlocks = words.count / Self.wordsPerBlock
    }

    /// Odd multipliers that spread a key's low 32 bits into one bit position per word.
    private static let salts: (UInt32, UInt32, UInt32, UInt32, UInt32, UInt32, UInt32, UInt32) = (
        0x47b6_137b, 0x4497_4d91, 0x8824_ad5b, 0xa2b7_289d, 0x7054_95c7, 0x2df1_424b, 0x9efc_4947, 0x5c6b_fb31)

    /// The first word of the block of a whole filter that a key sets.
    @inline(__always)
    private func block(of mixed: UInt64) -> Int {
        Int(mixed.multipliedFullWidth(by: UInt64(blockCount)).high) * Self.wordsPerBlock
    }

    @inline(__always)
    private static func mask(_ low: UInt32, _ salt: UInt32) -> UInt64 {
        1 << UInt64((low &* salt) >> 26)
    }

    /// Keys are hashes already, but not always of the same family: mix once more so both halves are uniform. A
    /// lookup in many runs mixes once (`mayContain(mixed:)`).
    @inline(__always)
    static func mix(_ key: UInt64) -> UInt64 {
        Mix.finalize(key ^ 0x2545_F491_4F6C_DD1D)
    }

    /// Sets the key's bits (none, in a section that does not hold the key's block).
    mutating func insert(_ key: UInt64) {
        let mixed = Self.mix(key)
        let block = Int(mixed.multipliedFullWidth(by: UInt64(totalBlocks)).high) - firstBlock
        guard block >= 0 && block < blockCount else { return }
        let base = block * Self.wordsPerBlock
        let low = UInt32(truncatingIfNeeded: mixed)
        let s = Self.salts
        words.withUnsafeMutableBufferPointer { words in
            words[base] |= Self.mask(low, s.0)
            words[base + 1] |= Self.mask(low, s.1)
            words[base + 2] |= Self.mask(low, s.2)
            words[base + 3] |= Self.mask(low, s.3)
            words[base + 4] |= Self.mask(low, s.4)
            words[base + 5] |= Self.mask(low, s.5)
            words[base + 6] |= Self.mask(low, s.6)
            words[base + 7] |= Self.mask(low, s.7)
        }
    }

    /// Starts loading the block `mayContain(mixed:)` reads for the key, without waiting for it.
    @inline(__always)
    func prefetch(mixed: UInt64) {
        let base = block(of: mixed)
        words.withUnsafeBufferPointer { cprefetch_read($0.baseAddress! + base) }
    }

    /// False when the key was never inserted; true for every inserted key and about 3% of the others.
    func mayContain(_ key: UInt64) -> Bool {
        mayContain(mixed: Self.mix(key))
    }

    /// `mayContain` of the key whose `mix` is `mixed`.
    @inline(__always)
    func mayContain(mixed: UInt64) -> Bool {
        assert(totalBlocks == blockCount, "a section of a filter cannot answer for a key")
        let base = block(of: mixed)
        let low = UInt32(truncatingIfNeeded: mixed)
        let s = Self.salts
        return words.withUnsafeBufferPointer { words in
            var missing = ~words[base] & Self.mask(low, s.0)
            missing |= ~words[base + 1] & Self.mask(low, s.1)
            missing |= ~words[base + 2] & Self.mask(low, s.2)
            missing |= ~words[base + 3] & Self.mask(low, s.3)
            missing |= ~words[base + 4] & Self.mask(low, s.4)
            missing |= ~words[base + 5] & Self.mask(low, s.5)
            missing |= ~words[base + 6] & Self.mask(low, s.6)
            missing |= ~words[base + 7] & Self.mask(low, s.7)
            return missing == 0
        }
    }
}
