import Foundation
import Testing
@testable import ArticleArchive

/// Distinct article bodies of a few paragraphs each.
private func storyBody(_ number: Int) -> [String] {
    let topics = ["harbour", "railway", "library", "hospital", "stadium", "bridge", "museum", "market"]
    let topic = topics[number % topics.count]
    return [
        "Officials confirmed on Monday that the \(topic) project number \(number) will go ahead after months of negotiations with residents.",
        "The plan for the \(topic) includes new public spaces, and construction is due to begin in the spring of next year.",
        "Local groups welcomed the decision but said they would keep watching how the \(topic) budget of story \(number) is spent.",
    ]
}

/// A long site footer no per-page rule can recognise: only recurrence across pages gives it away.
private let footer = "The Morning Herald is an independent newspaper founded in 1901 and owned by its readers' trust, reporting on our region since then."

private func page(_ body: [String]) -> String {
    (body + [footer]).joined(separator: "\n")
}

@Suite("Template learning")
struct TemplateLearningTests {
    private func ingest(_ fixture: ArchiveFixture, _ records: [(key: String, text: String)]) throws {
        try fixture.ingest(records: records.map { ["key": $0.key, "text": $0.text, "source": "herald"] }, batchSize: 1)
    }

    private func cleanedText(_ fixture: ArchiveFixture, _ key: String) throws -> String {
        try fixture.archive.text(of: try fixture.archive.version(key: key))
    }

    @Test("a line recurring across different articles of a source is learned as its template")
    func learnsFooter() throws {
        let fixture = try ArchiveFixture()
        try ingest(fixture, (0..<4).map { ("story-\($0)", page(storyBody($0))) })
        // The first pages came before anything was learned; later ones are cleaned with the template.
        #expect(try cleanedText(fixture, "story-0").contains(footer))
        #expect(try cleanedText(fixture, "story-3") == storyBody(3).joined(separator: "\n"))
        let report = try fixture.archive.reclean()
        #expect(report.versions == 4 && report.changed >= 2)
        for number in 0..<4 {
            #expect(try cleanedText(fixture, "story-\(number)") == storyBody(number).joined(separator: "\n"))
        }
        // The earlier cleaning is kept as history, not overwritten.
        let history = try fixture.archive.catalog.pool.read { db in
            try Int.fetchOne(db, sql: "SELECT count(*) FROM cleanings")!
        }
        #expect(history == 4 + report.changed)
        let analysis = ChromeCleaner().analyze(
            page(storyBody(9)), template: try fixture.archive.templateEvidence(for: page(storyBody(9)), source: "herald"))
        #expect(analysis.decisions.first { $0.text == footer }?.droppedBecause == .template)
    }

    @Test("a re-fetch of an unchanged page is not cleaned again: no new object, the version's cleaned text kept")
    func unchangedRefetch() throws {
        let fixture = try ArchiveFixture()
        try ingest(fixture, (0..<4).map { ("story-\($0)", page(storyBody($0))) })
        let before = try cleanedText(fixture, "story-0")
        #expect(before.contains(footer))  // cleaned before the template was learned
        let path = try fixture.folder.write("again.txt", page(storyBody(0)))
        let (report, _) = try fixture.ingest([.path(path)], options: IngestOptions(key: "story-0", source: "herald"))
        #expect(report.unchanged == 1 && report.objectsWritten == 0)
        #expect(try cleanedText(fixture, "story-0") == before)
        #expect(try fixture.archive.verify().unreferencedObjects == 0)
    }

    @Test("versions of one article do not teach that its body is template")
    func versionsAreNotEvidence() throws {
        let fixture = try ArchiveFixture()
        var body = storyBody(1)
        var records: [(String, String)] = []
        for revision in 0..<5 {
            body.append("Update \(revision): the council published further details of the plan this afternoon, officials said.")
            records.append(("evolving", page(body)))
        }
        records.append(("other-a", page(storyBody(2))))
        records.append(("other-b", page(storyBody(3))))
        try ingest(fixture, records)
        _ = try fixture.archive.reclean()
        #expect(try fixture.archive.versions(key: "evolving").count == 5)
        #expect(try cleanedText(fixture, "evolving") == body.joined(separator: "\n"))
    }

    @Test("republications of one story on the same site do not teach that the story is template")
    func republicationsAreNotEvidence() throws {
        let fixture = try ArchiveFixture()
        let shared = storyBody(5)
        var records: [(String, String)] = (0..<4).map { ("copy-\($0)", page(shared)) }
        // One copy is lightly edited, as republishers do.
        records.append(("copy-edited", page(shared.dropLast() + ["A different closing line was written for this copy of the story by the desk."])))
        records += (10..<13).map { ("story-\($0)", page(storyBody($0))) }
        try ingest(fixture, records)
        _ = try fixture.archive.reclean()
        for number in 0..<4 {
            #expect(try cleanedText(fixture, "copy-\(number)") == shared.joined(separator: "\n"))
        }
        #expect(try cleanedText(fixture, "copy-edited").contains(shared[0]))
        #expect(try cleanedText(fixture, "story-10") == storyBody(10).joined(separator: "\n"))
    }

    @Test("templates are learned per source")
    func perSource() throws {
        let fixture = try ArchiveFixture()
        try ingest(fixture, (0..<4).map { ("story-\($0)", page(storyBody($0))) })
        let elsewhere = page(storyBody(7))
        let evidence = try fixture.archive.templateEvidence(for: elsewhere, source: "another-site")
        #expect(evidence.lineHashes.isEmpty)
    }

    @Test("the line hashes found with the template are those the cleaner would make: same lines, same cleaning")
    func lineHashesMatchTheCleaners() {
        let text = "\u{FEFF}Menu | Sport\r\n\u{00A0}Share this story\u{00A0}\n\n  ---  \n"
            + storyBody(3).joined(separator: "\n\n") + "\r© 2026 The Herald\u{3000}\nRead more"
        let (entries, hashesByLine) = TemplateLine.lines(of: text)
        let rawLines = String(text.dropFirst()).split(omittingEmptySubsequences: false) { $0 == "\n" || $0 == "\r\n" || $0 == "\r" }
        #expect(hashesByLine.count == rawLines.count)
        for (number, line) in rawLines.enumerated() {
            let trimmed = line.trimmingCharacters(in: .whitespaces)
            let expected = trimmed.contains { $0.isLetter || $0.isNumber } ? TemplateLine.hash(Substring(trimmed)) : 0
            #expect(hashesByLine[number] == expected, "line \(number): \(line)")
        }
        #expect(Set(entries.map(\.hash)) == Set(hashesByLine.filter { $0 != 0 }))
        let template = Set([rawLines[0], rawLines[1], rawLines.last!].map {
            TemplateLine.hash(Substring($0.trimmingCharacters(in: .whitespaces)))
        })
        var kept = TemplateEvidence(lineHashes: template)
        kept.keepLineHashes(hashesByLine, ofTextOfLength: text.utf8.count)
        let alone = ChromeCleaner().analyze(text, template: TemplateEvidence(lineHashes: template))
        let reused = ChromeCleaner().analyze(text, template: kept)
        #expect(reused.text == alone.text)
        #expect(!reused.text.contains("Share this story") && !reused.text.contains("Menu"))
        // Hashes kept for another text are not used.
        var stale = TemplateEvidence(lineHashes: template)
        stale.keepLineHashes(hashesByLine.reversed(), ofTextOfLength: text.utf8.count + 1)
        #expect(ChromeCleaner().analyze(text, template: stale).text == alone.text)
    }

    @Test("lines compare with case, spacing and digits ignored")
    func normalisation() {
        #expect(TemplateLine.hash("© 2024  The Herald") == TemplateLine.hash("© 2025 the herald"))
        #expect(TemplateLine.hash("Updated 3 hours ago") == TemplateLine.hash("updated 15 hours ago"))
        #expect(TemplateLine.hash("Share this") != TemplateLine.hash("Share that"))
        for line in ["ÉTÉ À PARIS — Öl", "ΣΟΦΙΑ Και Ζωή", "Ünïcödé © 2024 ÅBC", "Straße İstanbul"] {
            #expect(TemplateLine.hash(Substring(line)) == TemplateLine.hash(Substring(line.lowercased())), "\(line)")
        }
        #expect(TemplateLine.hash("ÉTÉ À PARIS") != TemplateLine.hash("ÉTÉ À LYON"))
        let entries = TemplateLine.entries(of: "A\n\nA\n---\n" + footer)
        #expect(entries.count == 2)
        #expect(entries.last?.isContent == true)
    }

    @Test("a long line is known by its first 128 bytes, cut back to a whole character")
    func longLinesByTheirPrefix() {
        let opening = String(repeating: "word ", count: 25) + "and"  // 128 bytes
        #expect(opening.utf8.count == TemplateLine.hashedPrefix)
        func hash(_ line: String) -> Int64 { TemplateLine.hash(Substring(line)) }
        #expect(hash(opening + " one ending.") == hash(opening + " another."))
        #expect(hash("A " + opening) != hash("B " + opening))
        // A two-byte letter across the cut: the line is cut before it, whatever follows, and either case of it.
        let straddling = String(repeating: "x", count: TemplateLine.hashedPrefix - 1)
        #expect(hash(straddling + "é tail") == hash(straddling + "É other"))
        #expect(hash(straddling + "é") == hash(straddling))
        #expect(hash(straddling + "é") != hash(straddling + "a"))
    }

    @Test("the blocks a line hash lower-cases without a property lookup have no upper-case letters")
    func caselessBlocks() {
        // TemplateLine.hash skips `changesWhenLowercased` for these ranges; a scalar there that did change would
        // give the line another hash than the one catalogs hold.
        for range in [0x0590...0x0FFF, 0x3000...0x9FFF, 0xAC00...0xD7AF] {
            let changing = range.compactMap { Unicode.Scalar(UInt32($0)) }.filter(\.properties.changesWhenLowercased)
            #expect(changing.isEmpty, "\(changing.prefix(5).map { String(format: "U+%04X", $0.value) })")
        }
    }

    @Test("line hashes stay those catalogs hold: per-scalar lower-casing of any script, spaces and digits folded")
    func lineHashesAreStable() {
        // Learned template lines are stored by these values.
        let stored: [(String, Int64)] = [
            ("Share this story", -8_944_401_321_283_772_959),
            ("© 2024  The Herald — All rights reserved", 4_368_274_571_902_851_771),
            ("ÉTÉ À PARIS: 12 photos", -6_665_730_992_341_130_514),
            ("ΣΟΦΙΑ Και Ζωή", -677_165_200_457_434_271),
            ("Ⅻ Ⓐ K İstanbul", 184_906_927_120_133_618),
            ("東京 ニュース 2026", -2_798_142_090_732_491_921),
        ]
        for (line, hash) in stored { #expect(TemplateLine.hash(Substring(line)) == hash, "\(line)") }
        // Each scalar is replaced by its own lower-case mapping, in any script.
        func loweredScalarByScalar(_ line: String) -> String {
            String(String.UnicodeScalarView(line.unicodeScalars.flatMap { scalar in
                scalar.properties.changesWhenLowercased
                    ? Array(scalar.properties.lowercaseMapping.unicodeScalars) : [scalar]
            }))
        }
        let pieces = [
            "Share", "THIS", "story", "2024", "©", "’", "—", "Éric", "ÀÉÎ", "straße", "İstanbul", "ΣΟΦΙΑ", "Ⅻ", "Ⓐ",
            "Ꭰ", "𐐀", "K", "ǅ", "東京", "مشاركة", "हिन्दी", "\t", "  ", "\u{0B}", "9:30", "ＡＢＣ", "😀",
        ]
        var state: UInt64 = 12345
        func next(_ bound: Int) -> Int {
            state = state &* 6364136223846793005 &+ 1442695040888963407
            return Int((state >> 33) % UInt64(bound))
        }
        for _ in 0..<500 {
            let line = (0..<(1 + next(12))).map { _ in pieces[next(pieces.count)] }
                .joined(separator: [" ", "", "  "][next(3)])
            let lowered = loweredScalarByScalar(line)
            #expect(TemplateLine.hash(Substring(line)) == TemplateLine.hash(Substring(lowered)), "\(line)")
            let words = line.utf8.split(separator: 0x20, omittingEmptySubsequences: true).count
            if let entry = TemplateLine.entries(of: line).first {
                #expect(entry.isContent == (words >= 10), "\(line)")
            }
        }
    }
}

@Suite("Template line hashes")
struct TemplateLineHashTests {
    /// The hash as catalogs hold it, written plainly: each scalar's lower-case mapping, then runs of whitespace as
    /// one space (none at either end) and runs of digits as one `0`, hashed with FNV-1a.
    static func reference(_ line: Substring) -> Int64 {
        var bytes = Array(line.utf8)
        if bytes.count > TemplateLine.hashedPrefix {
            var end = TemplateLine.hashedPrefix
            while end > 0 && bytes[end] & 0xC0 == 0x80 { end -= 1 }
            bytes.removeSubrange(end...)
        }
        let lowered = String(decoding: bytes, as: UTF8.self).unicodeScalars.flatMap {
            Array($0.properties.lowercaseMapping.utf8)
        }
        var normalised: [UInt8] = []
        var pendingSpace = false, inDigits = false
        for byte in lowered {
            if byte == 0x20 || (0x09...0x0D).contains(byte) {
                pendingSpace = !normalised.isEmpty
                inDigits = false
                continue
            }
            if pendingSpace { normalised.append(0x20) }
            pendingSpace = false
            if (0x30...0x39).contains(byte) {
                if !inDigits { normalised.append(0x30) }
                inDigits = true
                continue
            }
            inDigits = false
            normalised.append(byte)
        }
        var hash: UInt64 = 0xcbf2_9ce4_8422_2325
        for byte in normalised { hash = (hash ^ UInt64(byte)) &* 0x0000_0100_0000_01b3 }
        return Int64(bitPattern: hash)
    }

    @Test("hashes are those catalogs hold: lines of every kind, past the prefix, against the plain definition")
    func matchesReference() {
        let pieces = ["a", "B", "z", "Q", " ", "  ", "\t", "\u{0B}", "7", "42", "-", ".", "©", "é", "É", "İ", "\u{212A}",
                      "Σ", "ß", "中", "한", "😀", "\u{00A0}", "\u{0301}", "Ω", "Ж", "ж", "_", "x1", "\r"]
        var state: UInt64 = 2026
        for _ in 0..<4000 {
            state = state &* 6364136223846793005 &+ 1442695040888963407
            let length = Int(state >> 56)  // 0-255 pieces, so lines reach past the 128-byte prefix
            var line = ""
            for _ in 0..<length {
                state = state &* 6364136223846793005 &+ 1442695040888963407
                line += pieces[Int(state >> 33) % pieces.count]
            }
            #expect(TemplateLine.hash(Substring(line)) == Self.reference(Substring(line)), "\(line.debugDescription)")
        }
        // Plain prose, read eight bytes at a time, from every starting offset, with a space or two where runs meet.
        let prose = "The Minister said on Tuesday that Talks would Resume, and the Opposition, quietly, agreed. "
        for start in 0..<24 {
            for join in [" ", "  ", "", " 7 ", "\t"] {
                let line = Substring(String(prose.dropFirst(start)) + join + prose + "Ünd OK ")
                #expect(TemplateLine.hash(line) == Self.reference(line), "\(line.debugDescription)")
            }
        }
    }

    @Test("the hashes of a few lines are the values archives made before hold")
    func stableValues() {
        #expect(TemplateLine.hash("© 2024  The Herald") == 3_154_133_514_344_772_535)
        #expect(TemplateLine.hash("Updated 3 hours ago") == -4_221_449_568_917_478_430)
        #expect(TemplateLine.hash("ÉTÉ À PARIS — İstanbul 12:30") == 8_651_920_899_409_422_122)
        #expect(TemplateLine.hash("") == -3_750_763_034_362_895_579)
    }
}
