import Foundation
import Testing
@testable import ArticleArchive

@Suite("Seeds cleaned end to end")
struct SeedCleaningTests {
    static let fixtures = URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent()
        .appendingPathComponent("Fixtures/seed-bodies")

    @Test("ingesting the seeds stores exactly each article body as its cleaned text")
    func seeds() throws {
        let fixture = try ArchiveFixture()
        let (report, problems) = try fixture.ingest([.path(ArchiveFixture.seedsPath)])
        #expect(problems.isEmpty && report.newArticles == 5)
        for article in try fixture.archive.articles() {
            let name = URL(fileURLWithPath: article.key).lastPathComponent
            let expected = try String(contentsOf: Self.fixtures.appendingPathComponent(name), encoding: .utf8)
            let version = try fixture.archive.version(key: article.key)
            #expect(try fixture.archive.text(of: version) == expected.trimmingCharacters(in: .newlines), "\(name)")
            // The raw body is kept exactly as it came.
            let raw = try Data(contentsOf: URL(fileURLWithPath: ArchiveFixture.seedsPath + "/" + name))
            #expect(Data(try fixture.archive.store.read(version.rawObject)) == raw)
        }
        let asharq = try fixture.archive.article(key: "seeds/004_03b7cd782fbfc18e.txt")
        #expect(asharq.title == "Haftar Holds Secret Meetings in Rome on Migration")
    }

    @Test("a cleaned text's spans say where each of its bytes but the line breaks between them is in the raw body")
    func spansLocateTheText() throws {
        for name in try FileManager.default.contentsOfDirectory(atPath: ArchiveFixture.seedsPath) {
            let raw = try String(contentsOfFile: ArchiveFixture.seedsPath + "/" + name, encoding: .utf8)
            let cleaned = ChromeCleaner().clean(raw)
            let rawBytes = Array(raw.utf8)
            let text = Array(cleaned.text.utf8)
            #expect(!cleaned.spans.isEmpty, "\(name)")
            var end = 0
            for span in cleaned.spans {
                #expect(span.offset >= end && text[end..<span.offset].allSatisfy { $0 == 0x0A }, "\(name)")
                #expect(text[span.offset..<(span.offset + span.source.count)] == rawBytes[span.source], "\(name)")
                end = span.offset + span.source.count
            }
            #expect(end == text.count, "\(name)")
        }
    }

    @Test("the word hashes the cleaner keeps fingerprint the cleaned text exactly as the text itself does")
    func cleanerWordsFingerprintTheText() throws {
        var bodies = try FileManager.default.contentsOfDirectory(atPath: ArchiveFixture.seedsPath).map {
            try String(contentsOfFile: ArchiveFixture.seedsPath + "/" + $0, encoding: .utf8)
        }
        var maker = TextMaker(seed: 3)
        for _ in 0..<40 {
            let lines = ["Home", "World", "Share: Facebook Twitter", "東京都の新しい計画について、市民の意見が分かれている。",
                         "\u{FEFF}Menu", "  indented line of several words that ends here.  ", "© 2024 The Site"]
                + maker.paragraphs(3) + [maker.paragraphs(6).joined(separator: " "), maker.paragraphs(5).joined(separator: ", ")]
            bodies.append((0..<12).map { _ in lines[maker.next(lines.count)] }.joined(separator: ["\n", "\r\n", "\n\n"][maker.next(3)]))
        }
        var withWords = 0
        for body in bodies {
            let cleaned = ChromeCleaner().clean(body)
            guard let words = cleaned.wordHashes else { continue }
            withWords += 1
            #expect(ArticleFingerprint(wordHashes: words) == ArticleFingerprint(text: cleaned.text), "\(body.prefix(80))")
        }
        #expect(withWords == bodies.count)
        // A letter NFKC changes: the text is shingled from its NFKC form, so the cleaner's words are not offered.
        #expect(ChromeCleaner().clean("The ﬁnance ministry raised its forecast for the year on Monday.").wordHashes == nil)
    }

    @Test("the expected bodies hold every body sentence and no chrome line of the seeds")
    func fixturesAreBodies() throws {
        let chrome = ["video", "Unfortunately, my nation", "GMT 12:44", "All rights reserved", "Send your comments",
                      "مشاركة", "Select Page", "Media ID", "Asharq Al-awsat", "in Benghazi. AP", "6131699081001"]
        for name in try FileManager.default.contentsOfDirectory(atPath: Self.fixtures.path) {
            let text = try String(contentsOf: Self.fixtures.appendingPathComponent(name), encoding: .utf8)
            for marker in chrome {
                #expect(!text.contains(marker), "\(name) still holds \(marker)")
            }
            let raw = try String(contentsOfFile: ArchiveFixture.seedsPath + "/" + name, encoding: .utf8)
            let sentences = raw.split(separator: "\n").filter { $0.split(separator: " ").count >= 12 && $0.hasSuffix(".") }
            for sentence in sentences where !sentence.contains("GMT") && !sentence.contains("Maintained") {
                #expect(text.contains(sentence), "\(name) lost: \(sentence.prefix(60))")
            }
        }
    }
}
