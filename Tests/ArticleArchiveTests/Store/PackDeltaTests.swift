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

    @Test("a delta from known pieces copies runs of them at once, rebuilds exactly, and refuses wrong pieces")
    func fromPieces() throws {
        let text = String(decoding: base, as: UTF8.self)
        func range(of line: String) -> Range<Int> {
            let found = text.range(of: line)!
            return text.utf8.distance(from: text.startIndex, to: found.lowerBound)
                ..< text.utf8.distance(from: text.startIndex, to: found.upperBound)
        }
        let first = "Officials said on Monday that the new bridge would open next spring after two years of work."
        let second = "The project cost more than planned, but the council approved the extra money last week."
        let target = Array("\(first)\n\(second)".utf8)
        let pieces: [(base: Range<Int>, targetOffset: Int)] = [(range(of: first), 0), (range(of: second), first.utf8.count + 1)]
        let delta = try #require(PackDelta.make(base: base, target: target, pieces: pieces))
        #expect(delta.count < 16)  // the newline between the pieces is the base's too: one copy
        #expect(try PackDelta.apply(delta, to: base) == target)

        // Other bytes between pieces, a short piece, a piece at the very end, and text after the last piece.
        let share = "Share: Facebook Twitter"
        let shortPiece = range(of: "Menu").lowerBound ..< range(of: "Menu").lowerBound + 4
        let mixed = Array("\(second)\n\n\(first)\n* Menu \(share) (more)".utf8)
        let mixedPieces: [(base: Range<Int>, targetOffset: Int)] = [
            (range(of: second), 0), (range(of: first), second.utf8.count + 2),
            (shortPiece, second.utf8.count + first.utf8.count + 5),
            (range(of: share), second.utf8.count + first.utf8.count + 10),
        ]
        let mixedDelta = try #require(PackDelta.make(base: base, target: mixed, pieces: mixedPieces))
        #expect(try PackDelta.apply(mixedDelta, to: base) == mixed)
        #expect(try PackDelta.apply(#require(PackDelta.make(base: base, target: mixed, pieces: [])), to: base) == mixed)

        // A piece that is not what the target holds there, out of order, or out of bounds.
        #expect(PackDelta.make(base: base, target: target, pieces: [(range(of: second), 0)]) == nil)
        #expect(PackDelta.make(base: base, target: target, pieces: Array(pieces.reversed())) == nil)
        #expect(PackDelta.make(base: base, target: target, pieces: [(0..<(base.count + 1), 0)]) == nil)
        #expect(PackDelta.make(base: base, target: target, pieces: [(range(of: second), target.count - 10)]) == nil)
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
