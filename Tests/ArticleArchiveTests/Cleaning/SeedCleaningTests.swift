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
