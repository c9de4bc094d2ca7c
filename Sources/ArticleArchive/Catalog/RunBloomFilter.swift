import CPrefetch
import Foundation

/// A blocked Bloom filter over the keys of one sorted run: says "absent" for most keys the run does not hold, so a
/// lookup skips the run without reading a block of it.
///
/// Each key sets 5 bits of one 512-bit block, so a query touches one cache line. At 7 bits of filter per key about 3.6%
/// of absent keys pass (the layout of runs written before 2026-12-07, one bit in each of the block's eight words as in
/// the split-block filters of Parquet and Impala, let 5.0-5.3% pass at the same size: eight bits a key is too many for
/// 7 bits of room). Most lookups are of absent keys: an LSH band of a story seen nowhere else, a line of body text no
/// other page of the site has, and at 100k articles nearly all the blocks read from the LSH runs were read for keys
/// that had passed a filter wrongly. The filters are what grows with the archive (a million articles' runs hold some
/// 52M keys): 7 bits took 7 MB from the peak at a million articles (x1.50 -> x1.45 of 10k) for no CPU measurable at
/// 100k and 2.6% at a million (the extra blocks read for the keys that pass); at 6 bits, 4% more at a million.
/// Runs under `largeRunKeys` keys get more bits a key (`bitsPerKey(keys:)`).
struct RunBloomFilter: Sendable, Equatable {
    /// Where a key's bits go in its block.
    enum Layout: Sendable, Equatable {
        /// Five bits anywhere in the block (runs of format `AARUN003`).
        case fiveBits
        /// One bit in each of the block's eight words (format `AARUN002`: runs of it are read, no longer written;
        /// only tests make such filters).
        case bitPerWord
    }

    static let wordsPerBlock = 8
    static let bytesPerBlock = 64
    /// Filter bits per key of the largest runs (`largeRunKeys` keys and more).
    static let bitsPerKey = 7.0
    /// Runs this large or larger get `bitsPerKey`; smaller ones more (`bitsPerKey(keys:)`).
    static let largeRunKeys = 1 << 20
    /// The most bits per key any run gets.
    static let maximumBitsPerKey = 14.0

    /// Filter bits per key of a run of `keys` keys: `bitsPerKey` from `largeRunKeys` up, and 1/ln 2 (1.44) more
    /// each time a run is half as large, up to `maximumBitsPerKey`. A lookup probes every run, and each run lets
    /// through its own share of absent keys whatever its size, while the memory a filter takes is in proportion to
    /// its size: the false positives of all the runs together are fewest, for the memory, when each run's rate is
    /// in proportion to its size (Dayan, Athanassoulis and Idreos, "Monkey", SIGMOD 2017): half the keys, half the
    /// rate, 1/ln 2 bits more a key. The small runs, of a batch or a few merged, are probed as often as the large
    /// ones and hold few keys: their extra bits cost at most a megabyte an index, however large the archive.
    static func bitsPerKey(keys: Int) -> Double {
        guard keys < largeRunKeys else { return bitsPerKey }
        let halvings = log2(Double(largeRunKeys) / Double(max(keys, 1)))
        return min(maximumBitsPerKey, bitsPerKey + halvings / log(2))
    }

    let layout: Layout
    /// The filter's words, `wordsPerBlock` per block.
    private(set) var words: [UInt64]
    /// The first of the blocks held (0 but for a section, `init(section:of:)`).
    private let firstBlock: Int
    /// The blocks of the whole filter (more than `blockCount` only for a section).
    private let totalBlocks: Int

    /// The blocks held.
    var blockCount: Int { words.count / Self.wordsPerBlock }

    /// The blocks of a filter sized for at most `keys` keys.
    /// - Parameter bits: bits per key, if not `bitsPerKey(keys:)`.
    static func blockCount(capacity keys: Int, bitsPerKey bits: Double? = nil) -> Int {
        max(1, Int((Double(keys) * (bits ?? bitsPerKey(keys: keys)) / 512).rounded(.up)))
    }

    /// An empty filter sized for at most `keys` keys.
    /// - Parameter bits: bits per key, if not `bitsPerKey(keys:)`.
    init(capacity keys: Int, layout: Layout = .fiveBits, bitsPerKey bits: Double? = nil) {
        let blocks = Self.blockCount(capacity: keys, bitsPerKey: bits)
        self.init(section: 0..<blocks, of: blocks, layout: layout)
    }

    /// An empty section of a filter of `totalBlocks` blocks: the blocks `blocks` alone, which keys of other blocks
    /// leave as they are. A large run's filter is made a section at a time, so that it is never whole in memory
    /// beside the filters of the runs it replaces (`SortedRunWriter`). Only a whole filter answers `mayContain`.
    init(section blocks: Range<Int>, of totalBlocks: Int, layout: Layout = .fiveBits) {
        precondition(!blocks.isEmpty && blocks.lowerBound >= 0 && blocks.upperBound <= totalBlocks)
        self.layout = layout
        words = [UInt64](repeating: 0, count: blocks.count * Self.wordsPerBlock)
        firstBlock = blocks.lowerBound
        self.totalBlocks = totalBlocks
    }

    /// A filter as a run file stores it: `blockCount` blocks of little-endian words.
    init(words: [UInt64], layout: Layout) {
        precondition(!words.isEmpty && words.count % Self.wordsPerBlock == 0)
        self.layout = layout
        self.words = words
        firstBlock = 0
        totalBlocks = words.count / Self.wordsPerBlock
    }

    /// Odd multipliers that spread a key's low 32 bits into bit positions (the first five for `fiveBits`).
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

    /// For `fiveBits`: the word of the block (0-7) and the bit in it, from the product's top 9 bits.
    @inline(__always)
    private static func position(_ low: UInt32, _ salt: UInt32) -> (word: Int, mask: UInt64) {
        let bit = (low &* salt) >> 23
        return (Int(bit >> 6), 1 << UInt64(bit & 63))
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
        if layout == .fiveBits {
            words.withUnsafeMutableBufferPointer { words in
                func set(_ salt: UInt32) {
                    let (word, mask) = Self.position(low, salt)
                    words[base + word] |= mask
                }
                set(s.0)
                set(s.1)
                set(s.2)
                set(s.3)
                set(s.4)
            }
            return
        }
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

    /// False when the key was never inserted; true for every inserted key and a few percent of the others.
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
        if layout == .fiveBits {
            return words.withUnsafeBufferPointer { words in
                let (w0, m0) = Self.position(low, s.0)
                let (w1, m1) = Self.position(low, s.1)
                let (w2, m2) = Self.position(low, s.2)
                let (w3, m3) = Self.position(low, s.3)
                let (w4, m4) = Self.position(low, s.4)
                var missing = ~words[base + w0] & m0
                missing |= ~words[base + w1] & m1
                missing |= ~words[base + w2] & m2
                missing |= ~words[base + w3] & m3
                missing |= ~words[base + w4] & m4
                return missing == 0
            }
        }
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
