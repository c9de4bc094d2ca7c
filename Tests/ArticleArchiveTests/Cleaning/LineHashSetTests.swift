import Testing
@testable import ArticleArchive

@Suite("Line hash set")
struct LineHashSetTests {
    @Test("inserts answer as a Set's do, through growth, with 0 and repeated values")
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
            }
            #expect(reference.count > 500)
        }
    }
}
