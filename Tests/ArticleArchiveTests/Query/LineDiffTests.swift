import Testing
@testable import ArticleArchive

@Suite("Line diff")
struct LineDiffTests {
    private func apply(_ diff: LineDiff) -> (old: [String], new: [String]) {
        var old: [String] = []
        var new: [String] = []
        for line in diff.lines {
            switch line {
            case .same(let text): old.append(text); new.append(text)
            case .removed(let text): old.append(text)
            case .added(let text): new.append(text)
            }
        }
        return (old, new)
    }

    @Test("the edit script rebuilds both texts and is minimal", arguments: [
        ("a\nb\nc\n", "a\nb\nc\n", 0),
        ("", "x\ny", 2),
        ("x\ny", "", 2),
        ("a\nb\nc\nd", "a\nc\nd\ne", 2),
        ("p1\np2\np3\np4\np5", "p1\np2 changed\np3\np5\np6", 4),
    ])
    func rebuilds(old: String, new: String, edits: Int) {
        let diff = LineDiff(old: old, new: new)
        let rebuilt = apply(diff)
        #expect(rebuilt.old == old.split(separator: "\n").map(String.init))
        #expect(rebuilt.new == new.split(separator: "\n").map(String.init))
        #expect(diff.counts.removed + diff.counts.added == edits)
    }

    @Test("unified output has headers, hunk ranges and context")
    func unified() {
        let old = (1...10).map { "line \($0)" }.joined(separator: "\n")
        let new = old.replacingOccurrences(of: "line 5", with: "line five")
        let text = LineDiff(old: old, new: new).unified(oldName: "k v1", newName: "k v2", context: 2)
        #expect(text == """
            --- k v1
            +++ k v2
            @@ -3,5 +3,5 @@
             line 3
             line 4
            -line 5
            +line five
             line 6
             line 7

            """)
        #expect(LineDiff(old: old, new: old).unified(oldName: "a", newName: "b").isEmpty)
    }
}
