import Foundation
import Testing
import TestSupport
@testable import ArticleArchive

@Suite("Export")
struct ExportTests {
    static let hostileKeys = [
        "../../escape", "/etc/passwd", "..", ".", "a/../../b", "C:\\windows\\system32", "line\nbreak\u{0}nul",
        "https://example.com/2026/01/story?id=7", "https://example.com/2026/01/story?id=8", "مقال/عربي", "",
    ]

    @Test("txt export writes one file per article inside --out, whatever the keys hold")
    func txtStaysInside() throws {
        let fixture = try ArchiveFixture()
        for (index, key) in Self.hostileKeys.enumerated() where !key.isEmpty {
            try fixture.ingest(text: "Body \(index).", key: key)
        }
        let out = fixture.folder.url.appendingPathComponent("export/inner")
        let report = try fixture.archive.export(format: .txt, to: out.path)
        #expect(report.failures.isEmpty)
        #expect(report.articles == Self.hostileKeys.count - 1)
        let names = try FileManager.default.contentsOfDirectory(atPath: out.path)
        #expect(names.count == report.articles)
        #expect(names.allSatisfy { !$0.contains("/") && $0 != "." && $0 != ".." && $0.hasSuffix(".txt") })
        // Nothing was written beside or above the export folder.
        #expect(try FileManager.default.contentsOfDirectory(atPath: out.deletingLastPathComponent().path) == ["inner"])
        let texts = try names.map { try String(contentsOf: out.appendingPathComponent($0), encoding: .utf8) }
        #expect(Set(texts).count == names.count)
    }

    @Test("a symbolic link planted in the export folder is replaced, not followed")
    func doesNotFollowLinks() throws {
        let fixture = try ArchiveFixture()
        try fixture.ingest(text: "Exported body.", key: "k")
        let outside = try fixture.folder.write("outside.txt", "precious")
        let out = fixture.folder.url.appendingPathComponent("out")
        try FileManager.default.createDirectory(at: out, withIntermediateDirectories: true)
        let name = ExportFileName.make(for: "k", extension: "txt")
        try FileManager.default.createSymbolicLink(atPath: out.appendingPathComponent(name).path, withDestinationPath: outside)
        _ = try fixture.archive.export(format: .txt, to: out.path)
        #expect(try String(contentsOfFile: outside, encoding: .utf8) == "precious")
        #expect(try String(contentsOf: out.appendingPathComponent(name), encoding: .utf8) == "Exported body.\n")
    }

    @Test("jsonl export has the documented fields for each article's latest version")
    func jsonlFields() throws {
        let fixture = try ArchiveFixture()
        let feed = [
            #"{"text":"Old text.","url":"https://news.example/a","title":"A","fetched_at":"2026-01-01T00:00:00Z"}"#,
            #"{"text":"New text.","url":"https://news.example/a","title":"A2","fetched_at":"2026-01-02T00:00:00Z"}"#,
            #"{"text":"Other.","key":"b"}"#,
        ].joined(separator: "\n")
        try fixture.ingest([.path(try fixture.folder.write("feed.jsonl", feed))])
        let out = fixture.folder.path("out/articles.jsonl")
        let report = try fixture.archive.export(format: .jsonl, to: out)
        #expect(report.articles == 2)
        let lines = try String(contentsOfFile: out, encoding: .utf8).split(separator: "\n")
        let records = try lines.map { try JSONSerialization.jsonObject(with: Data($0.utf8)) as! [String: Any] }
        #expect(records.count == 2)
        let a = try #require(records.first { $0["key"] as? String == "https://news.example/a" })
        #expect(Set(a.keys) == ["key", "url", "source", "title", "fetched_at", "version", "object", "text"])
        #expect(a["text"] as? String == "New text.")
        #expect(a["version"] as? Int == 2)
        #expect(a["title"] as? String == "A2")
        #expect(a["source"] as? String == "news.example")
        #expect(a["fetched_at"] as? String == "2026-01-02T00:00:00Z")
        let version = try fixture.archive.version(key: "https://news.example/a")
        #expect(a["object"] as? String == version.cleanedObject.hex)
        let b = try #require(records.first { $0["key"] as? String == "b" })
        #expect(b["url"] is NSNull)
    }

    @Test("file names are slugs plus a key hash: readable, safe and distinct")
    func fileNames() {
        let names = Self.hostileKeys.map { ExportFileName.make(for: $0, extension: "txt") }
        #expect(Set(names).count == names.count)
        for name in names {
            #expect(!name.hasPrefix("."))
            #expect(name.unicodeScalars.allSatisfy { $0.isASCII && $0.value > 32 && $0 != "/" && $0 != "\\" })
            #expect(name.utf8.count <= 80 + 1 + 12 + 4)
        }
        #expect(ExportFileName.make(for: "https://example.com/2026/01/story?id=7", extension: "txt")
            .hasPrefix("example.com_2026_01_story_id_7-"))
    }
}
