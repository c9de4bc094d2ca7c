import Foundation
import Testing
@testable import ArticleArchive

@Suite("Pack deltas")
struct PackDeltaTests {
    private let base = Array("""
        Menu | World | Politics
        Officials said on Monday that the new bridge would open next spring after two years of work.
        The project cost more than planned, but the council approved the extra money last week.
        Share: Facebook Twitter
        Related: a headline about something else entirely

        """.utf8)

    @Test("a cleaned text (the base less some lines) is a few copies, and rebuilds exactly")
    func cleanedTextRoundTrips() throws {
        let target = Array("""
            Officials said on Monday that the new bridge would open next spring after two years of work.
            The project cost more than planned, but the council approved the extra money last week.
            """.utf8)
        let delta = PackDelta.make(base: base, target: target)
        #expect(delta.count < 16)  // two sizes and one copy of two consecutive lines
        #expect(try PackDelta.apply(delta, to: base) == target)
    }

    @Test("lines not in the base are inserted; empty, reordered and long targets rebuild exactly")
    func insertsAndEdgeCases() throws {
        let long = Array(String(repeating: "A long line of an article body that repeats itself.\n", count: 3000).utf8)
        let cases: [(base: [UInt8], target: [UInt8])] = [
            (base, []),
            (base, Array("A line of its own, nowhere in the base, longer than one insert can hold: \(String(repeating: "x", count: 300))".utf8)),
            (base, Array(base.reversed())),
            (base, Array("Share: Facebook Twitter\nMenu | World | Politics\nno newline at the end".utf8)),
            ([], Array("from nothing\n".utf8)),
            (long, long + Array("Update: appended.\n".utf8)),  // one copy longer than 64 KiB
        ]
        for (base, target) in cases {
            #expect(try PackDelta.apply(PackDelta.make(base: base, target: target), to: base) == target)
        }
    }

    @Test("a delta for another base, or a damaged one, is refused")
    func refusesWrongBaseAndDamage() throws {
        let target = Array("Officials said on Monday that the new bridge would open next spring after two years of work.\n".utf8)
        let delta = PackDelta.make(base: base, target: target)
        #expect(throws: PackDelta.Malformed.self) { try PackDelta.apply(delta, to: Array(base.dropLast())) }
        var damaged = delta
        damaged[damaged.count - 1] = 0xff  // the copy's size now reaches past the base
        #expect(throws: PackDelta.Malformed.self) { try PackDelta.apply(damaged, to: base) }
        #expect(throws: PackDelta.Malformed.self) { try PackDelta.apply(Array(delta.prefix(3)), to: base) }
    }
}
