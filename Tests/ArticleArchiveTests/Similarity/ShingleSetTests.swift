import Testing
@testable import ArticleArchive

@Suite("Shingles")
struct ShingleSetTests {
    private func same(_ a: String, _ b: String) -> Bool {
        ShingleSet(a).compact == ShingleSet(b).compact
    }

    @Test("case, punctuation, quote styles, spacing and paragraph breaks do not matter")
    func normalisation() {
        let text = "The minister said \"we will not yield\" on Tuesday, and the talks broke up.\n\nNo date was set."
        #expect(same(text, "the Minister said “we will not yield” on tuesday and the talks broke up. No date was set"))
        #expect(same(text, "The minister said 'we will not yield' on Tuesday,\nand the talks broke up. No date was set."))
        #expect(same("Ça va très bien à Paris, dit Éric aujourd'hui", "ÇA VA TRÈS BIEN À PARIS DIT ÉRIC AUJOURD’HUI"))
    }

    @Test("the shingle set made alone is the one a fingerprint keeps")
    func shinglesAlone() {
        var maker = TextMaker(seed: 7)
        let text = maker.paragraphs(5).joined(separator: "\n")
        #expect(CompactShingles(text: text) == ArticleFingerprint(text: text).shingles)
        #expect(CompactShingles(text: text).values.count > 40)
    }

    @Test("NFKC: ligatures and full-width letters equal their plain forms")
    func compatibilityForms() {
        #expect(same("the ﬁnance ministry raised its forecast today", "the finance ministry raised its forecast today"))
        #expect(same("ＡＢＣ news reported the vote late on Monday", "abc news reported the vote late on Monday"))
    }

    @Test("a changed word changes only the shingles that hold it")
    func localChange() {
        var maker = TextMaker(seed: 1)
        let words = (0..<60).map { _ in maker.word() }
        var edited = words
        edited[30] = "changed"
        let a = ShingleSet(words.joined(separator: " ")).compact
        let b = ShingleSet(edited.joined(separator: " ")).compact
        #expect(a.values.count == 56)
        let similarity = a.similarity(to: b)
        #expect(abs(similarity.jaccard - 51.0 / 61.0) < 1e-9)
    }

    @Test("the rolling shingle hash equals hashing each window afresh (stored LSH buckets depend on it)")
    func rollingHashMatchesWindows() {
        var maker = TextMaker(seed: 5)
        for text in [maker.paragraphs(6).joined(separator: "\n"), "one two three", "a b c d e", "a b c d e f g"] {
            let words = WordTokenizer.tokens(Substring(text)).map(\.hash)
            let width = min(5, words.count)
            let expected = (0...(words.count - width)).map { start -> UInt64 in
                var hash: UInt64 = 0
                for offset in 0..<width {
                    let rotation = UInt64(offset * 13)
                    let word = words[start + offset]
                    hash ^= (word << rotation) | (word >> ((64 - rotation) & 63))
                }
                return Mix.finalize(hash)
            }
            #expect(ShingleSet(text).hashes == expected, "\(text)")
        }
    }

    @Test("the branch-free word hashes equal the tokenizer's, in every script (stored LSH buckets depend on it)")
    func wordHashesMatchTokens() {
        var maker = TextMaker(seed: 9)
        let pieces = [
            "Hello", "WORLD", "a", "I", "x_y", "C3PO", "0xFF", "2026", "Ça", "ÉRIC", "straße", "ΑΘΗΝΑ", "Москва", "東京都",
            "서울", "ひらがな", "مشاركة", "हिन्दी", "ﬁnance", "Ｈello", "😀", "—", "“quoted”", "it’s", "l'été", "e\u{301}",
            "\u{FEFF}", "\t", "\n\n", " ", ",", "...", "#tag", "@user", "x", "ÀÉÎ", "ǅ", "İstanbul",
        ]
        var texts = ["", " ", "word", "word ", " word", "あ", "aあ", "aあa", "ab\u{3000}cd", pieces.joined(separator: " ")]
        for _ in 0..<300 {
            let count = 1 + maker.next(40)
            let separator = [" ", "", ", ", "\n", "—"][maker.next(5)]
            texts.append((0..<count).map { _ in
                maker.next(3) == 0 ? pieces[maker.next(pieces.count)] : maker.word()
            }.joined(separator: separator))
        }
        for text in texts {
            var copy = text
            let fast = copy.withUTF8 { WordTokenizer.wordHashes($0) }
            #expect(fast.hashes == WordTokenizer.tokens(Substring(text)).map(\.hash), "\(text)")
        }
        var ligature = "the ﬁnance ministry"
        #expect(ligature.withUTF8 { WordTokenizer.wordHashes($0) }.sawCompatibility)
        var plain = "the finance ministry"
        #expect(!plain.withUTF8 { WordTokenizer.wordHashes($0) }.sawCompatibility)
    }

    @Test("a token cursor reads the same tokens whatever its buffer's size, with the word hashes' hashes")
    func tokenCursorBuffers() {
        var maker = TextMaker(seed: 11)
        let pieces = ["Ça", "東京都", "ﬁnance", "C3PO", "0xFF", "2026", "—", "l'été", "e\u{301}", "😀", "서울", "\u{3000}"]
        var texts = ["", "a", " ", "あ", "aあ", String(repeating: "x", count: 3000), String(repeating: "東", count: 50)]
        for _ in 0..<200 {
            let count = 1 + maker.next(80)
            texts.append((0..<count).map { _ in
                maker.next(4) == 0 ? pieces[maker.next(pieces.count)] : maker.word()
            }.joined(separator: [" ", "", "\t", ", "][maker.next(4)]))
        }
        func read(_ bytes: UnsafeBufferPointer<UInt8>, places: Int) -> ([UInt64], [UInt64], Int, Bool) {
            var cursor = WordTokenizer.TokenCursor(bytes)
            var hashes: [UInt64] = [], metas: [UInt64] = []
            withUnsafeTemporaryAllocation(of: WordTokenizer.RawToken.self, capacity: places) { buffer in
                while !cursor.isFinished {
                    for token in cursor.read(into: buffer) {
                        hashes.append(token.hash)
                        metas.append(token.meta)
                    }
                }
            }
            return (hashes, metas, cursor.cjk, cursor.sawCompatibility)
        }
        for text in texts {
            var copy = text
            copy.withUTF8 { bytes in
                let small = read(bytes, places: 4)
                let large = read(bytes, places: WordTokenizer.TokenCursor.batchCapacity)
                #expect(small.0 == large.0 && small.1 == large.1 && small.2 == large.2 && small.3 == large.3, "\(text)")
                let words = WordTokenizer.wordHashes(bytes)
                #expect(small.0 == words.hashes && small.3 == words.sawCompatibility, "\(text)")
                let tokens = WordTokenizer.tokens(Substring(text))
                #expect(small.2 == tokens.filter(\.isCJK).count)
            }
        }
    }

    @Test("texts shorter than a shingle are one shingle; empty text has none")
    func shortTexts() {
        #expect(ShingleSet("Brief note").hashes.count == 1)
        #expect(ShingleSet("  ... !! ").hashes.isEmpty)
        #expect(ShingleSet("one two three four five six").hashes.count == 2)
    }

    @Test("containment finds an excerpt inside the full text")
    func containment() {
        var maker = TextMaker(seed: 2)
        let full = maker.paragraphs(20)
        let excerpt = Array(full.prefix(10))
        let similarity = ShingleSet(excerpt.joined(separator: "\n")).compact
            .similarity(to: ShingleSet(full.joined(separator: "\n")).compact)
        #expect(similarity.containment > 0.95)
        #expect(similarity.jaccard < 0.6)
    }
}

@Suite("Word hashes")
struct WordHashTests {
    /// Words as the tokenizer defines them, found plainly: runs of letters, digits, marks and `_`, each CJK
    /// character a word of its own, hashed as `WordTokenizer.hash` hashes a word (FNV-1a of its lower-cased UTF-8).
    static func reference(_ text: String) -> [UInt64] {
        var hashes: [UInt64] = []
        var word = ""
        func flush() {
            if !word.isEmpty { hashes.append(WordTokenizer.hash(word)) }
            word = ""
        }
        for scalar in text.unicodeScalars {
            if WordTokenizer.isCJK(scalar.value) {
                flush()
                hashes.append(WordTokenizer.hash(String(scalar)))
            } else if scalar.isASCII ? (scalar.properties.isAlphabetic || ("0"..."9").contains(scalar) || scalar == "_")
                : !WordTokenizer.isSeparator(scalar.value) {
                word.unicodeScalars.append(scalar)
            } else {
                flush()
            }
        }
        flush()
        return hashes
    }

    @Test("both tokenizers hash words as the plain definition does, in every script (stored LSH buckets depend on it)")
    func matchReference() {
        let pieces = ["Hello", "WORLD", "a", "I", "x_y", "C3PO", "2026", "Ça", "ÉRIC", "ΑΘΗΝΑ", "Москва", "東京", "서울",
                      "ひらがな", "مشاركة", "😀", "—", "“q”", "it’s", "l'été", "\u{3000}", "\t", "\n", " ", ", ", "...", "#t"]
        var state: UInt64 = 31
        for _ in 0..<2000 {
            state = state &* 6364136223846793005 &+ 1442695040888963407
            let count = Int(state >> 58)
            var text = ""
            for _ in 0..<count {
                state = state &* 6364136223846793005 &+ 1442695040888963407
                text += pieces[Int(state >> 33) % pieces.count]
            }
            let expected = Self.reference(text)
            #expect(WordTokenizer.tokens(Substring(text)).map(\.hash) == expected, "\(text.debugDescription)")
            var copy = text
            #expect(copy.withUTF8 { WordTokenizer.wordHashes($0).hashes } == expected, "\(text.debugDescription)")
        }
        #expect(WordTokenizer.hash("Hello") == 0xa430_d846_80aa_bd0b)
    }
}
