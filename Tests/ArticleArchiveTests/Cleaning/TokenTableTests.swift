import Testing
@testable import ArticleArchive

@Suite("Token table")
struct TokenTableTests {
    @Test("every hash stored answers its combined flags, and any other hash 0, as a dictionary does")
    func matchesDictionary() {
        var state: UInt64 = 17
        func next() -> UInt64 {
            state = state &* 6364136223846793005 &+ 1442695040888963407
            return state ^ (state >> 29)
        }
        for size in [0, 1, 40, 300, 5000] {
            var entries: [(hash: UInt64, flags: UInt8)] = []
            var reference: [UInt64: UInt8] = [:]
            for index in 0..<size {
                // Every fifth hash listed twice with another flag, as a word both a chrome and a date word is.
                let hash = index % 5 == 4 ? entries[index - 1].hash : next() | 1
                let flags = UInt8(1 << (index % 3))
                entries.append((hash, flags))
                reference[hash, default: 0] |= flags
            }
            let table = TokenTable(entries)
            for (hash, flags) in reference {
                #expect(table.flags(of: hash) == flags)
            }
            var absentHits = 0
            for _ in 0..<20000 {
                let hash = next()
                let expected = reference[hash] ?? 0
                #expect(table.flags(of: hash) == expected)
                if expected != 0 { absentHits += 1 }
            }
            #expect(absentHits == 0)
        }
    }

    @Test("the lexicon's words are found by the hash their tokens get, and common words are not")
    func lexiconLookups() {
        for word in ["share", "Subscribe", "Поделиться", "tweet"] {
            let token = WordTokenizer.tokens(Substring(word))[0]
            #expect(ChromeLexicon.tokenKinds.flags(of: token.hash) & ChromeLexicon.chromeWordFlag != 0, "\(word)")
        }
        for word in ["january", "Updated", "ago"] {
            let token = WordTokenizer.tokens(Substring(word))[0]
            #expect(ChromeLexicon.tokenKinds.flags(of: token.hash) & ChromeLexicon.dateWordFlag != 0, "\(word)")
        }
        for word in ["the", "government", "said", "river", "economy"] {
            #expect(ChromeLexicon.tokenKinds.flags(of: WordTokenizer.hash(word)) == 0, "\(word)")
        }
    }
}
