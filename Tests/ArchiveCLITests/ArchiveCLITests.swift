import Foundation
import Testing
import TestSupport

@Suite("archive command, end to end", .serialized)
struct ArchiveCLITests {
    @Test("ingest the seeds, list, show, log, stats, export, verify")
    func seedsEndToEnd() throws {
        let folder = try TemporaryDirectory()
        let archive = ArchiveBinary(store: folder.path("archive"))

        let first = try archive.run("ingest", ArchiveBinary.seeds)
        #expect(first.status == 0, "\(first.stderr)")
        #expect(first.stdout.contains("5 new articles, 0 new versions, 0 unchanged, 0 rejected"))
        let second = try archive.run("ingest", ArchiveBinary.seeds)
        #expect(second.stdout.contains("0 new articles, 0 new versions, 5 unchanged, 0 rejected"))

        let list = try archive.run("list", "--json")
        let articles = try JSONSerialization.jsonObject(with: list.stdoutData) as! [[String: Any]]
        #expect(articles.count == 5)
        let seedNames = try FileManager.default.contentsOfDirectory(atPath: ArchiveBinary.seeds).sorted()
        #expect(articles.map { $0["key"] as! String } == seedNames.map { "seeds/\($0)" })
        #expect(articles.allSatisfy { $0["versions"] as? Int == 1 && $0["captures"] as? Int == 2 })
        #expect(articles.allSatisfy { $0["source"] as? String == "seeds" })

        let name = seedNames[4]
        let original = try String(contentsOfFile: ArchiveBinary.seeds + "/" + name, encoding: .utf8)
        let raw = try archive.run("show", "seeds/\(name)", "--raw")
        #expect(raw.status == 0)
        #expect(raw.stdout == original + (original.hasSuffix("\n") ? "" : "\n"))

        let log = try archive.run("log", "seeds/\(name)", "--json")
        let history = try JSONSerialization.jsonObject(with: log.stdoutData) as! [String: Any]
        let versions = history["versions"] as! [[String: Any]]
        let captures = history["captures"] as! [[String: Any]]
        #expect(versions.count == 1 && captures.count == 2)
        #expect(captures.map { $0["outcome"] as! String } == ["new-article", "unchanged"])
        let origin = captures[0]["origin"] as! [String: Any]
        #expect((origin["path"] as! String).hasSuffix("seeds/\(name)"))

        let stats = try archive.run("stats", "--json")
        let figures = try JSONSerialization.jsonObject(with: stats.stdoutData) as! [String: Any]
        #expect(figures["articles"] as? Int == 5 && figures["versions"] as? Int == 5 && figures["captures"] as? Int == 10)

        let out = folder.path("export")
        let export = try archive.run("export", "--format", "txt", "--out", out)
        #expect(export.status == 0, "\(export.stderr)")
        #expect(try FileManager.default.contentsOfDirectory(atPath: out).count == 5)

        let verify = try archive.run("verify")
        #expect(verify.status == 0)
        #expect(verify.stdout.hasSuffix("ok\n"))
    }

    @Test("a new version from standard input, then diff and show of each version")
    func versionsThroughStandardInput() throws {
        let folder = try TemporaryDirectory()
        let archive = ArchiveBinary(store: folder.path("archive"))
        let v1 = try archive.run("ingest", "-", "--key", "story-1", "--source", "wire", stdin: "Line one.\nLine two.\n")
        #expect(v1.status == 0, "\(v1.stderr)")
        let v2 = try archive.run(
            "ingest", "-", "--key", "story-1", "--fetched-at", "2026-11-23T08:00:00Z",
            stdin: "Line one.\nLine two, updated.\nLine three.\n")
        #expect(v2.stdout.contains("0 new articles, 1 new versions"))
        let diff = try archive.run("diff", "story-1")
        #expect(diff.stdout.contains("-Line two.\n+Line two, updated.\n+Line three.\n"))
        #expect(try archive.run("show", "story-1", "--version", "1").stdout == "Line one.\nLine two.\n")
        let missing = try archive.run("show", "story-1", "--version", "7")
        #expect(missing.status != 0)
        #expect(missing.stderr.contains("story-1 has no version 7"))
        let log = try archive.run("log", "story-1", "--json")
        let captures = try JSONSerialization.jsonObject(with: log.stdoutData) as! [String: Any]
        let second = (captures["captures"] as! [[String: Any]])[1]
        #expect((second["declared"] as! [String: Any])["fetched_at"] as? String == "2026-11-23T08:00:00Z")
        #expect((second["origin"] as! [String: Any])["kind"] as? String == "stdin")
    }

    @Test("bad input: stderr names file and line, the rest is archived, exit status 2")
    func badInput() throws {
        let folder = try TemporaryDirectory()
        let archive = ArchiveBinary(store: folder.path("archive"))
        let feed = try folder.write("feed.jsonl", #"{"text":"Good one."}"# + "\n{oops\n" + #"{"text":"Good two."}"# + "\n")
        let binary = try folder.write("image.txt", bytes: [0xFF, 0xD8, 0x00, 0x10])
        let result = try archive.run("ingest", feed, binary)
        #expect(result.status == 2)
        #expect(result.stdout.contains("2 new articles, 0 new versions, 0 unchanged, 2 rejected"))
        #expect(result.stderr.contains("\(feed):2: not valid JSON"))
        #expect(result.stderr.contains("\(binary): binary data"))
        #expect(try archive.run("list").stdout.split(separator: "\n").count == 2)
    }

    @Test("verify exits non-zero and names a damaged object")
    func verifyFindsDamage() throws {
        let folder = try TemporaryDirectory()
        let archive = ArchiveBinary(store: folder.path("archive"))
        _ = try archive.run("ingest", "-", "--key", "k", stdin: String(repeating: "Some text. ", count: 40))
        let show = try archive.run("show", "k", "--json")
        let shown = try JSONSerialization.jsonObject(with: show.stdoutData) as! [String: Any]
        let object = (shown["version"] as! [String: Any])["raw_object"] as! String
        let packs = try FileManager.default.contentsOfDirectory(atPath: folder.path("archive/objects/pack"))
        let pack = try #require(packs.first { $0.hasSuffix(".pack") })
        let path = folder.path("archive/objects/pack/\(pack)")
        chmod(path, 0o644)
        var bytes = Array(try Data(contentsOf: URL(fileURLWithPath: path)))
        bytes[12 + 10] ^= 0xFF  // inside the first entry after the 12-byte pack header: the raw body's
        try Data(bytes).write(to: URL(fileURLWithPath: path))
        let verify = try archive.run("verify")
        #expect(verify.status == 1)
        #expect(verify.stdout.contains("damaged: object \(object)"))
        #expect(verify.stdout.contains("k v1 raw"))
        #expect(try archive.run("show", "k", "--raw").status != 0)
    }

    @Test("read commands on a missing archive say so and create nothing")
    func missingArchive() throws {
        let folder = try TemporaryDirectory()
        let archive = ArchiveBinary(store: folder.path("nothing-here"))
        let list = try archive.run("list")
        #expect(list.status != 0)
        #expect(list.stderr.contains("no archive at"))
        #expect(!FileManager.default.fileExists(atPath: folder.path("nothing-here")))
    }

    @Test("jsonl export to standard output")
    func exportToStandardOutput() throws {
        let folder = try TemporaryDirectory()
        let archive = ArchiveBinary(store: folder.path("archive"))
        _ = try archive.run("ingest", "-", "--jsonl", stdin: #"{"text":"Streamed.","url":"https://x.example/s"}"# + "\n")
        let export = try archive.run("export", "--format", "jsonl", "--out", "-")
        let record = try JSONSerialization.jsonObject(with: Data(export.stdout.utf8)) as! [String: Any]
        #expect(record["key"] as? String == "https://x.example/s")
        #expect(record["text"] as? String == "Streamed.")
    }

    @Test("the executable allocates with jemalloc, in one arena")
    func allocator() throws {
        // jemalloc prints its statistics at exit when asked to; glibc's malloc ignores the variable.
        let result = try Shell.run(
            "/usr/bin/env", ["MALLOC_CONF=stats_print:true", ArchiveBinary.url.path, "--version"])
        #expect(result.status == 0)
        #expect(result.stderr.contains("Begin jemalloc statistics"))
        #expect(result.stderr.contains("opt.narenas: 1"))
    }
}
