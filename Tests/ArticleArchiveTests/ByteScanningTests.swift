import Testing
@testable import ArticleArchive

@Suite("Byte scanning")
struct ByteScanningTests {
    @Test("runs between spaces, counted eight bytes at a time, match a byte at a time, for every length and limit")
    func spaceSeparatedRunsInWords() {
        var generator = SplitMix(seed: 11)
        // Lines of every length up to 40 bytes, dense and sparse in spaces, with other bytes around 0x20 (tab,
        // `!`, 0xA0) that must not count as spaces.
        let alphabets: [[UInt8]] = [[0x20, 0x61], [0x20, 0x20, 0x20, 0x62], [0x20, 0x09, 0x21, 0xA0, 0x63, 0x00]]
        for alphabet in alphabets {
            for length in 0...40 {
                for _ in 0..<50 {
                    let line = (0..<length).map { _ in alphabet.randomElement(using: &generator)! }
                    for limit in [1, 3, 10, Int.max] {
                        let expected = runsCountedByteByByte(line, upTo: limit)
                        let counted = line.withUnsafeBufferPointer {
                            ByteScanning.spaceSeparatedRuns(in: $0, upTo: limit)
                        }
                        #expect(counted == expected, "\(line) up to \(limit)")
                    }
                }
            }
        }
        let words = Array("  one two  three four five six seven eight nine ten eleven".utf8)
        #expect(words.withUnsafeBufferPointer { ByteScanning.spaceSeparatedRuns(in: $0) } == 11)
        #expect(words.withUnsafeBufferPointer { ByteScanning.spaceSeparatedRuns(in: $0, upTo: 10) } == 10)
        #expect(ByteScanning.spaceSeparatedRuns(in: AnySequence(words), upTo: 10) == 10, "a sequence not in place")
    }

    /// The count the eight-byte scan must give, a byte at a time.
    private func runsCountedByteByByte(_ bytes: [UInt8], upTo limit: Int) -> Int {
        var count = 0
        var inRun = false
        for byte in bytes where count < limit {
            if byte == 0x20 {
                inRun = false
            } else if !inRun {
                inRun = true
                count += 1
            }
        }
        return count
    }
}
