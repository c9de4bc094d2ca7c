import Testing
@testable import ArticleArchive

@Suite("Line hash set")
struct LineHashSetTests {
    @Test("inserts and lookups answer as a Set's do, through growth, with 0 and repeated values")
    func matchesSet() {
        var state: UInt64 = 99
        for capacity in [1, 16, 64] {
            var set = LineHashSet(capacity: capacity)
            var reference = Set<Int64>()
            for _ in 0..<5000 {
                state = state &* 6364136223846793005 &+ 1442695040888963407
                // Few distinct values, so most inserts repeat one; 0 among them.
                let value = Int64(bitPattern: (state >> 53) &* 0x9E37_79B9_7F4A_7C15) &* Int64((state >> 40) & 1)
                #expect(set.insert(value) == reference.insert(value).inserted)
                #expect(set.contains(value))
                // A value next to one in the set is in it as it is in the reference (mostly not).
                #expect(set.contains(value &+ 1) == reference.contains(value &+ 1))
            }
            #expect(reference.count > 500)
        }
    }

    @Test("line breaks are found eight bytes at a time as one by one, and lines split as lineSlices splits them")
    func lineBreaks() {
        var state: UInt64 = 5
        let alphabet: [UInt8] = [0x0A, 0x0D, 0x0B, 0x0C, 0x8A, 0x8D, 0x09, 0x20, 0x61, 0xFF, 0x00, 0x8E]
        for length in 0..<100 {
            let bytes = (0..<length).map { _ -> UInt8 in
                state = state &* 6364136223846793005 &+ 1442695040888963407
                return alphabet[Int(state >> 59) % alphabet.count]
            }
            bytes.withUnsafeBufferPointer { buffer in
                for start in 0...length {
                    let naive = (start..<length).first { buffer[$0] == 0x0A || buffer[$0] == 0x0D } ?? length
                    #expect(TextScanning.nextLineBreak(buffer, from: start) == naive)
                }
            }
            let text = String(decoding: bytes, as: UTF8.self)
            var copy = text
            var lines: [String] = []
            copy.withUTF8 { utf8 in
                TextScanning.forEachLine(utf8, from: 0) { start, end in
                    lines.append(String(decoding: UnsafeBufferPointer(rebasing: utf8[start..<end]), as: UTF8.self))
                }
            }
            #expect(lines == text.lineSlices().map(String.init), "\(bytes)")
        }
    }
}
