import Foundation
import Testing
import TestSupport
@testable import ArticleArchive

@Suite("Ingest")
struct IngestTests {
    @Test("a folder is read recursively, in order, with keys from the folder name and relative path")
    func folderIngest() throws {
        let fixture = try ArchiveFixture()
        try fixture.folder.write("site/b.txt", "Body B.")
        try fixture.folder.write("site/a.txt", "Body A.")
        try fixture.folder.write("site/sub/c.txt", "Body C.")
        try fixture.folder.write("site/.hidden.txt", "Hidden.")
        try fixture.folder.write("site/feed.jsonl", #"{"text":"Body D.","key":"d"}"# + "\n")
        let (report, problems) = try fixture.ingest([.path(fixture.folder.path("site"))])
        #expect(problems.isEmpty)
        #expect(report.newArticles == 4)
        let keys = try fixture.archive.articles().map(\.key)
        #expect(keys == ["d", "site/a.txt", "site/b.txt", "site/sub/c.txt"])
        #expect(try fixture.archive.article(key: "site/a.txt").source == "site")
        // The same file ingested on its own gets the same key.
        let again = try fixture.ingest([.path(fixture.folder.path("site/a.txt"))])
        #expect(again.report.unchanged == 1)
    }

    @Test("JSONL: good records are archived, each bad line is reported with its line number")
    func jsonlWithBadLines() throws {
        let fixture = try ArchiveFixture()
        let lines = [
            "\u{FEFF}" + #"{"text":"First.","url":"https://a.example/1"}"#,
            #"{"text":"Broken""#,
            "",
            #"{"url":"https://a.example/2"}"#,
            #"{"text":42}"#,
            #"{"text":"Typed.","title":["not","a","string"]}"#,
            #"{"text":"   \n  "}"#,
            #"["text"]"#,
            #"{"text":"Last.","source":"wire"}"#,
        ]
        let file = try fixture.folder.write("batch.jsonl", lines.joined(separator: "\r\n"))
        let (report, problems) = try fixture.ingest([.path(file)])
        #expect(report.newArticles == 2)
        #expect(report.rejected == 6)
        #expect(problems.map(\.origin.line) == [2, 4, 5, 6, 7, 8])
        #expect(problems.allSatisfy { $0.origin.path == file })
        #expect(problems[0].message.contains("not valid JSON"))
        #expect(problems[1].message.contains("no \"text\""))
        #expect(problems[2].message.contains("\"text\" is a number"))
        #expect(problems[3].message.contains("\"title\" is a array"))
        #expect(problems[4].message.contains("empty body"))
        #expect(problems[5].message.contains("expected an object"))
        #expect(try fixture.archive.article(key: "batch.jsonl#9").source == "wire")
        #expect(try fixture.archive.text(of: try fixture.archive.version(key: "https://a.example/1")) == "First.")
    }

    @Test("JSONL bodies are exactly the JSON strings: escapes, surrogate pairs, a U+FEFF inside the text")
    func jsonlStringsExactly() throws {
        let fixture = try ArchiveFixture()
        // Foundation's JSONSerialization drops a U+FEFF inside a string; the archive must not.
        let bodies = [
            "Line one.\u{FEFF}Joined by a zero-width no-break space.\n\u{FEFF}And at a line start.",
            "Quotes \" and \\ and / and tabs\tand \u{1}control and emoji 😀 and é and 中文.",
        ]
        let escaped = [
            #"{"text":"Line one.\ufeffJoined by a zero-width no-break space.\n\uFEFFAnd at a line start.","key":"a"}"#,
            #"{"key":"b","text":"Quotes \" and \\ and \/ and tabs\tand \u0001control and emoji \ud83d\ude00 and é and 中文."}"#,
            // Other fields of any JSON type are kept as provenance; the body is still read exactly.
            #"{"text":"Line one.\ufeffJoined by a zero-width no-break space.\n\ufeffAnd at a line start.","key":"c","#
                + #""n":-1.5e3,"tags":["x",{"y":null}],"ok":true}"#,
        ]
        let file = try fixture.folder.write("exact.jsonl", escaped.joined(separator: "\n"))
        let (report, problems) = try fixture.ingest([.path(file)])
        #expect(problems.isEmpty && report.newArticles == 3)
        for (key, body) in [("a", bodies[0]), ("b", bodies[1]), ("c", bodies[0])] {
            #expect(Array(try fixture.archive.text(of: try fixture.archive.version(key: key), raw: true).utf8)
                == Array(body.utf8), "body of \(key)")
        }
        let extra = try fixture.archive.captures(key: "c").first?.declared.extra
        #expect(extra == #"{"n":-1500,"ok":true,"tags":["x",{"y":null}]}"#)
    }

    @Test("bad files are rejected by name and the rest of the batch is archived")
    func badFiles() throws {
        let fixture = try ArchiveFixture()
        try fixture.folder.write("in/good.txt", "A good body.")
        try fixture.folder.write("in/latin1.txt", bytes: [0x63, 0x61, 0x66, 0xE9, 0x0A])
        try fixture.folder.write("in/binary.txt", bytes: [0x89, 0x50, 0x4E, 0x47, 0x00, 0x01])
        try fixture.folder.write("in/empty.txt", "")
        try fixture.folder.write("in/blank.txt", " \n\t\n")
        let (report, problems) = try fixture.ingest([.path(fixture.folder.path("in")), .path(fixture.folder.path("nope"))])
        #expect(report.newArticles == 1)
        #expect(report.rejected == 5)
        let byName = Dictionary(uniqueKeysWithValues: problems.map { (URL(fileURLWithPath: $0.origin.path!).lastPathComponent, $0.message) })
        #expect(byName["latin1.txt"]?.contains("invalid UTF-8 at byte offset 3") == true)
        #expect(byName["binary.txt"]?.contains("binary") == true)
        #expect(byName["empty.txt"]?.contains("empty body") == true)
        #expect(byName["blank.txt"]?.contains("empty body") == true)
        #expect(byName["nope"]?.contains("no such file") == true)
    }

    @Test("a body over the size limit is rejected with a message, in files and in JSONL")
    func sizeLimit() throws {
        let fixture = try ArchiveFixture()
        let big = String(repeating: "word ", count: 400)
        let file = try fixture.folder.write("big.txt", big)
        let jsonl = try fixture.folder.write("big.jsonl", #"{"text":"\#(big)"}"# + "\n" + #"{"text":"small"}"#)
        let (report, problems) = try fixture.ingest(
            [.path(file), .path(jsonl)], options: IngestOptions(maximumBodyBytes: 1000))
        #expect(report.rejected == 2 && report.newArticles == 1)
        #expect(problems.allSatisfy { $0.message.contains("exceeds the limit of 1000 bytes") })
    }

    @Test("very long JSONL lines are skipped without being held whole")
    func overlongLine() throws {
        let folder = try TemporaryDirectory()
        let long = String(repeating: "x", count: 5000)
        let file = try folder.write("lines.jsonl", "short\n\(long)\nend")
        let handle = try FileHandle(forReadingFrom: URL(fileURLWithPath: file))
        let reader = LineReader(handle: handle, maximumLineBytes: 1000, chunkSize: 256)
        var seen: [String] = []
        while let line = try reader.nextLine() {
            switch line {
            case .text(let bytes): seen.append(String(decoding: bytes, as: UTF8.self))
            case .tooLong(let bytes): seen.append("too long: \(bytes)")
            }
        }
        #expect(seen == ["short", "too long: 5000", "end"])
    }

    @Test("lines are split the same whatever the chunk size: CRLF, blank lines, a last line without a newline")
    func lineReaderChunks() throws {
        let folder = try TemporaryDirectory()
        var state: UInt64 = 42
        var text: [UInt8] = []
        for _ in 0..<400 {
            state = state &* 6364136223846793005 &+ 1442695040888963407
            let length = Int(state >> 58)  // 0-63
            text += (0..<length).map { UInt8(0x61 + ($0 % 26)) }
            text += (state >> 20) % 3 == 0 ? [0x0D, 0x0A] : [0x0A]
        }
        text += Array("last".utf8)
        let file = folder.path("lines.txt")
        try Data(text).write(to: URL(fileURLWithPath: file))
        // Split by bytes: as Characters, "\r\n" is one and would not split at "\n".
        let expected = text.split(separator: 0x0A, omittingEmptySubsequences: false)
            .map { String(decoding: $0.last == 0x0D ? $0.dropLast() : $0, as: UTF8.self) }
        for chunkSize in [1, 2, 7, 64, 1 << 20] {
            let handle = try FileHandle(forReadingFrom: URL(fileURLWithPath: file))
            let reader = LineReader(handle: handle, maximumLineBytes: 1000, chunkSize: chunkSize)
            var seen: [String] = []
            while let line = try reader.nextLine() {
                guard case .text(let bytes) = line else { Issue.record("a short line read as too long"); break }
                seen.append(String(decoding: bytes, as: UTF8.self))
            }
            #expect(seen == expected, "chunk size \(chunkSize)")
            #expect(reader.lineNumber == expected.count)
        }
    }

    @Test("the JSON reader finds quotes, backslashes and control characters eight bytes at a time as one by one")
    func jsonSpecialBytes() {
        var state: UInt64 = 7
        let alphabet: [UInt8] = [0x22, 0x5C, 0x00, 0x1F, 0x20, 0x21, 0x5B, 0x5D, 0x7F, 0x80, 0xA2, 0xDC, 0xFF, 0x61, 0x0A]
        for _ in 0..<2000 {
            state = state &* 6364136223846793005 &+ 1442695040888963407
            let count = Int(state >> 58)
            let bytes = (0..<count).map { index -> UInt8 in
                let pick = (state >> UInt64(index % 50)) ^ UInt64(index) &* 0x9E37_79B9_7F4A_7C15
                return pick % 4 == 0 ? alphabet[Int(pick >> 8) % alphabet.count] : UInt8(0x30 + pick % 60)
            }
            bytes.withUnsafeBufferPointer { buffer in
                for start in 0...count {
                    let naive = (start..<count).first { buffer[$0] == 0x22 || buffer[$0] == 0x5C || buffer[$0] < 0x20 }
                    #expect(FlatJSONObject.nextSpecialByte(buffer, from: start) == naive ?? count, "\(bytes) from \(start)")
                }
            }
        }
    }

    @Test("the JSON reader reads strings with and without escapes as JSONSerialization does, and refuses what it refuses")
    func jsonStrings() throws {
        let pieces = [#"plain "#, #"\n"#, #"\""#, #"\\"#, #"\/"#, #"\t"#, #"\u00e9"#, #"\u2014"#, #"\ud83d\ude00"#,
                      "é", "—", "“", #"\b\f\r"#, "x", " ", "\u{7F}", "long run of text without any escape at all, "]
        let broken = [#"\x"#, "\u{01}", #"\u12"#, #"\"#]
        var state: UInt64 = 41
        func next(_ bound: Int) -> Int {
            state = state &* 6364136223846793005 &+ 1442695040888963407
            return Int(state >> 33) % bound
        }
        for round in 0..<1500 {
            let text = (0..<next(30)).map { _ in pieces[next(pieces.count)] }.joined()
            let title = (0..<next(4)).map { _ in pieces[next(pieces.count)] }.joined()
            let tail = round % 5 == 0 ? broken[next(broken.count)] : ""
            let line = #"{"title": "\#(title)", "n": 1, "text": "\#(text)\#(tail)"}"#
            let bytes = Array(line.utf8)
            let object = bytes.withUnsafeBufferPointer { FlatJSONObject.parse($0) }
            let reference = try? JSONSerialization.jsonObject(with: Data(bytes)) as? [String: Any]
            #expect((object == nil) == (reference == nil), "\(line)")
            guard let object, let reference else { continue }
            #expect(object.value(of: "text") == .string(reference["text"] as! String), "\(line)")
            #expect(object.value(of: "title") == .string(reference["title"] as! String), "\(line)")
            #expect(object.value(of: "n") == .other)
        }
    }

    @Test("--key and --url are refused for inputs that hold several articles")
    func keyNeedsSingleInput() throws {
        let fixture = try ArchiveFixture()
        try fixture.folder.write("many/a.txt", "A")
        #expect(throws: ArchiveError.self) {
            try fixture.ingest([.path(fixture.folder.path("many"))], options: IngestOptions(key: "k"))
        }
        #expect(try fixture.archive.articles().isEmpty)
    }

    @Test("batches commit in transactions of batchSize; every capture lands")
    func smallBatches() throws {
        let fixture = try ArchiveFixture()
        let records = (0..<25).map { #"{"text":"Body \#($0 % 10).","key":"k\#($0 % 12)"}"# }
        let file = try fixture.folder.write("many.jsonl", records.joined(separator: "\n"))
        let (report, _) = try fixture.ingest([.path(file)], options: IngestOptions(batchSize: 4))
        #expect(report.captures == 25)
        let stats = try fixture.archive.statistics()
        #expect(stats.captures == 25 && stats.articles == 12)
        #expect(report.newArticles + report.newVersions == stats.versions)
    }

    @Test("an ingest whose index merges run in the background records what one merging in its transactions does")
    func backgroundMergesChangeNothing() throws {
        // Stories told by several sites, some told again in other words, and versions: edges, clusters and
        // template lines for the merged runs to hold.
        var generator = SplitMix(seed: 71)
        let records: [[String: Any]] = (0..<240).map { number in
            let story = number % 90
            let sentences = (0..<12).map { "Story\(story) reports that w\(story)x\($0) and v\(story)y\($0) happened today." }
            let site = Int(generator.next() % 6)
            let kept = sentences.filter { _ in generator.next() % 5 != 0 }
            return ["key": "site\(site)/\(number % 200)", "source": "site\(site).example",
                    "text": (["Menu Home World Sport", "Share on Facebook"] + kept + ["© 2026 Site \(site)"])
                        .joined(separator: "\n")]
        }
        func archived(backgroundMergeEntries: Int) throws -> ArchiveFixture {
            let fixture = try ArchiveFixture(backgroundMergeEntries: backgroundMergeEntries)
            try fixture.ingest(records: records, batchSize: 4)
            return fixture
        }
        let inTransactions = try archived(backgroundMergeEntries: .max)
        let inBackground = try archived(backgroundMergeEntries: 16)
        #expect(try inBackground.archive.statistics() == inTransactions.archive.statistics())
        let clusters = try inTransactions.archive.clusters(minimumSize: 1)
        #expect(clusters.contains { $0.size >= 3 })
        #expect(try inBackground.archive.clusters(minimumSize: 1) == clusters)
        for article in try inTransactions.archive.articles() {
            #expect(try inBackground.archive.similar(to: article.key) == inTransactions.archive.similar(to: article.key))
            let (background, transactions) = (
                try inBackground.archive.version(key: article.key), try inTransactions.archive.version(key: article.key))
            // The cleaned text, which the template index decides.
            #expect(background.cleanedObject == transactions.cleanedObject && background.number == transactions.number)
        }
        #expect(try inBackground.archive.verify().isHealthy)
        // Merges ran in the background, and the ingest's end left none running or unlisted.
        let catalog = inBackground.archive.catalog
        for index in [catalog.lshIndex, catalog.templateIndex, catalog.objectIndex] { #expect(!index.isMerging) }
        let merges = catalog.lshIndex.backgroundMerges.withLock { $0 }
        #expect(merges.listed >= 5 && merges.discarded == 0, "\(merges)")
        let runs = try catalog.pool.read { try Int.fetchOne($0, sql: "SELECT count(*) FROM lsh_runs") ?? 0 }
        #expect(runs <= 8)
    }

    @Test("the catalog's write-ahead log stays a few batches long however many batches an ingest writes")
    func writeAheadLogStaysShort() throws {
        // Articles with no words in common, so that none is a near-duplicate of another.
        func records(_ count: Int) -> [[String: Any]] {
            (0..<count).map { number in
                let sentences = (0..<30).map { "Word\(number)x\($0) w\(number)y\($0) v\(number)z\($0) u\(number)." }
                return ["key": "article-\(number)", "source": "site\(number % 5).example",
                        "text": sentences.joined(separator: "\n")]
            }
        }
        // The longest the log's file got in an ingest of `count` articles, 4 to a batch (it keeps that length).
        func longestLog(ingesting count: Int) throws -> Int {
            let fixture = try ArchiveFixture()
            try fixture.ingest(records: records(count), batchSize: 4)
            let log = fixture.folder.path("archive/catalog.sqlite-wal")
            return try FileManager.default.attributesOfItem(atPath: log)[.size] as! Int
        }
        let fiftyBatches = try longestLog(ingesting: 200)
        let hundredBatches = try longestLog(ingesting: 400)
        // Without checkpoints that let the log start over, twice the batches would make it twice as long.
        #expect(hundredBatches < fiftyBatches * 3 / 2)
    }
}
