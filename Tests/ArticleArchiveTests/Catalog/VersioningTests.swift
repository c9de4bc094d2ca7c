import Foundation
import Testing
import TestSupport
@testable import ArticleArchive

@Suite("Versions and captures")
struct VersioningTests {
    @Test("other bytes under the same key make a new version; the same bytes make only a capture")
    func versionsAndCaptures() throws {
        let fixture = try ArchiveFixture()
        #expect(try fixture.ingest(text: "Body one.\n", key: "story").newArticles == 1)
        #expect(try fixture.ingest(text: "Body one.\n", key: "story").unchanged == 1)
        #expect(try fixture.ingest(text: "Body two.\n", key: "story").newVersions == 1)
        // A revert to an earlier body is a change too: version 3, sharing version 1's object.
        #expect(try fixture.ingest(text: "Body one.\n", key: "story").newVersions == 1)

        let versions = try fixture.archive.versions(key: "story")
        #expect(versions.map(\.number) == [1, 2, 3])
        #expect(versions[0].rawObject == versions[2].rawObject)
        #expect(versions[0].rawObject != versions[1].rawObject)
        #expect(try fixture.archive.text(of: versions[1], raw: true) == "Body two.\n")
        #expect(try fixture.archive.text(of: versions[0], raw: true) == "Body one.\n")

        let captures = try fixture.archive.captures(key: "story")
        #expect(captures.map(\.outcome) == [.newArticle, .unchanged, .newVersion, .newVersion])
        #expect(captures.map(\.version) == [1, 1, 2, 3])
        let article = try fixture.archive.article(key: "story")
        #expect(article.versions == 3 && article.captures == 4)
        #expect(try fixture.archive.statistics().objects == 4)  // two raw bodies, two cleaned texts
        let git = try Shell.run("git", ["--git-dir=\(fixture.archive.directory.path)", "count-objects", "-v"])
        #expect(git.stdout.contains("in-pack: 4\n"))
    }

    @Test("the latest objects of many keys at once: each article's newest version, keys not archived left out")
    func latestObjectsOfKeys() throws {
        let fixture = try ArchiveFixture()
        try fixture.ingest(text: "First body of a.\n", key: "a")
        try fixture.ingest(text: "Second body of a.\n", key: "a")
        try fixture.ingest(text: "Only body of b.\n", key: "b")
        let latest = try fixture.archive.catalog.pool.read { db in
            try fixture.archive.catalog.latestObjects(keys: ["a", "b", "missing"], in: db)
        }
        #expect(Set(latest.keys) == ["a", "b"])
        let a = try fixture.archive.version(key: "a")
        #expect(a.number == 2)
        #expect(latest["a"]?.raw == a.rawObject && latest["a"]?.cleaned == a.cleanedObject)
        #expect(latest["b"]?.raw == (try fixture.archive.version(key: "b")).rawObject)
        #expect(latest["a"]?.article != latest["b"]?.article)
        #expect(try fixture.archive.catalog.pool.read { try fixture.archive.catalog.latestObjects(keys: [], in: $0) }
            .isEmpty)
    }

    @Test("identical bodies under different keys are one object")
    func crossArticleDeduplication() throws {
        let fixture = try ArchiveFixture()
        try fixture.ingest(text: "Shared wire story.", key: "site-a/1")
        try fixture.ingest(text: "Shared wire story.", key: "site-b/9")
        let a = try fixture.archive.version(key: "site-a/1")
        let b = try fixture.archive.version(key: "site-b/9")
        #expect(a.rawObject == b.rawObject)
        let stats = try fixture.archive.statistics()
        #expect(stats.articles == 2 && stats.versions == 2 && stats.objects == 1)
        #expect(stats.capturedBytes == 2 * "Shared wire story.".utf8.count)
    }

    @Test("a capture records where, when and from what input, with what was declared")
    func provenance() throws {
        let fixture = try ArchiveFixture()
        let line = #"{"text":"A body.","url":"https://www.example.com/a#top","title":"A","fetched_at":"2026-01-02T03:04:05Z","published_at":"2026-01-01","lang":"en"}"#
        let file = try fixture.folder.write("feed.jsonl", "\n" + line + "\n")
        try fixture.ingest([.path(file)])
        let capture = try #require(try fixture.archive.captures(key: "https://www.example.com/a").first)
        #expect(capture.origin == InputOrigin(kind: .jsonl, path: file, line: 2))
        #expect(capture.inputSHA256 == ContentDigest.sha256Hex(Array(line.utf8)))
        #expect(capture.declared.fetchedAt == "2026-01-02T03:04:05Z")
        #expect(capture.declared.publishedAt == "2026-01-01")
        #expect(capture.declared.extra == #"{"lang":"en"}"#)
        #expect(capture.toolVersion == ArticleArchiveVersion.string)
        let article = try fixture.archive.article(key: "https://www.example.com/a")
        #expect(article.source == "example.com")
        #expect(article.title == "A")
        let version = try fixture.archive.version(key: article.key)
        #expect(version.cleaner == ChromeCleaner().identity.description)
        #expect(version.fetchedAt == "2026-01-02T03:04:05Z")
    }

    @Test("unknown keys and versions are errors a user can act on")
    func unknownKeysAndVersions() throws {
        let fixture = try ArchiveFixture()
        try fixture.ingest(text: "x", key: "k")
        #expect(throws: ArchiveError.unknownArticle(key: "nope")) { try fixture.archive.versions(key: "nope") }
        #expect(throws: ArchiveError.unknownVersion(key: "k", number: 4, latest: 1)) {
            try fixture.archive.version(key: "k", number: 4)
        }
    }

    @Test("an archive is only opened where one exists, unless asked to create it")
    func opening() throws {
        let folder = try TemporaryDirectory()
        #expect(throws: ArchiveError.noArchive(path: folder.path("none"))) {
            try Archive.open(at: folder.path("none"))
        }
        try folder.write("occupied/notes.txt", "mine")
        #expect(throws: StoreError.self) { try Archive.open(at: folder.path("occupied"), create: true) }
        try folder.write("fresh/README.md", "explains the folder")
        _ = try Archive.open(at: folder.path("fresh"), create: true)
        _ = try Archive.open(at: folder.path("fresh"))
    }
}
