/// Finding bytes eight at a time, for the scanners of JSON strings and lines: a word of eight bytes is tested for
/// several byte values at once by the bit tricks that find a zero byte in a word, and only a word with a match is
/// looked at byte by byte.
enum ByteScanning {
    private static let ones: UInt64 = 0x0101_0101_0101_0101
    private static let highs: UInt64 = 0x8080_8080_8080_8080

    /// The high bit of each byte of `word` equal to `byte` (exact for the lowest; above it a borrow may flag more).
    @inline(__always)
    static func bytes(of word: UInt64, equalTo byte: UInt8) -> UInt64 {
        let difference = word ^ (ones &* UInt64(byte))
        return (difference &- ones) & ~difference & highs
    }

    /// The high bit of each byte of `word` below `bound` (at most 0x80; exact for the lowest, as above).
    @inline(__always)
    static func bytes(of word: UInt64, below bound: UInt8) -> UInt64 {
        (word &- ones &* UInt64(bound)) & ~word & highs
    }

    /// The first position at or after `start` whose byte `matches` (`bytes.count` if none), given `flagged`, which
    /// flags those bytes in a word as `bytes(of:equalTo:)` and `bytes(of:below:)` do (or-ed together: the lowest
    /// flag of the union is the lowest match).
    @inline(__always)
    static func firstIndex(
        in bytes: UnsafeBufferPointer<UInt8>, from start: Int, flagged: (UInt64) -> UInt64, matches: (UInt8) -> Bool
    ) -> Int {
        var index = start
        if let base = bytes.baseAddress {
            let raw = UnsafeRawPointer(base)
            while index + 8 <= bytes.count {
                let found = flagged(UInt64(littleEndian: raw.loadUnaligned(fromByteOffset: index, as: UInt64.self)))
                if found != 0 { return index + found.trailingZeroBitCount / 8 }
                index += 8
            }
        }
        while index < bytes.count && !matches(bytes[index]) { index += 1 }
        return index
    }

    /// The high bit of each byte of `word` that is a space (0x20), exactly: no borrow crosses from byte to byte.
    @inline(__always)
    static func spaces(in word: UInt64) -> UInt64 {
        let lows: UInt64 = 0x7F7F_7F7F_7F7F_7F7F
        let difference = word ^ (ones &* 0x20)
        return ~(((difference & lows) &+ lows) | difference) & highs
    }

    /// How many runs of bytes other than the space (0x20) `bytes` holds, counting up to `limit`, eight bytes at a
    /// time: a run starts at each byte that is not a space and follows one (or starts the line), and those are
    /// counted together, where a byte at a time mispredicted a branch at every word.
    static func spaceSeparatedRuns(in bytes: UnsafeBufferPointer<UInt8>, upTo limit: Int = .max) -> Int {
        var count = 0
        var index = 0
        // The high bit of byte 0's predecessor: set when that byte is a space (or there is none).
        var previousSpace: UInt64 = 0x80
        if let base = bytes.baseAddress {
            let raw = UnsafeRawPointer(base)
            while index + 8 <= bytes.count && count < limit {
                let spaces = spaces(in: UInt64(littleEndian: raw.loadUnaligned(fromByteOffset: index, as: UInt64.self)))
                let starts = ~spaces & highs & (spaces << 8 | previousSpace)
                count += starts.nonzeroBitCount
                previousSpace = spaces >> 56
                index += 8
            }
        }
        var inRun = previousSpace == 0
        while index < bytes.count && count < limit {
            if bytes[index] == 0x20 {
                inRun = false
            } else if !inRun {
                inRun = true
                count += 1
            }
            index += 1
        }
        return min(count, limit)
    }

    /// `spaceSeparatedRuns(in:upTo:)` of any bytes (those of a string's UTF-8 view in place).
    static func spaceSeparatedRuns(in bytes: some Sequence<UInt8>, upTo limit: Int = .max) -> Int {
        bytes.withContiguousStorageIfAvailable { spaceSeparatedRuns(in: $0, upTo: limit) }
            ?? Array(bytes).withUnsafeBufferPointer { spaceSeparatedRuns(in: $0, upTo: limit) }
    }
}
