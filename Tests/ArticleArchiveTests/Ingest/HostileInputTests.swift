import Foundation
import Testing
import TestSupport
@testable import ArticleArchive

@Suite("Hostile and broken input")
struct HostileInputTests {
    @Test("BOM, CRLF, right-to-left and mixed scripts are archived byte for byte")
    func unusualButValidText() throws {
        let fixture = try ArchiveFixture()
        let texts = [
            "\u{FEFF}Byte-order mark first.\r\nThen CRLF line ends.\r\n",
            "قال المسؤولون يوم الاثنين إن الجسر الجديد سيفتح في الربيع المقبل.\nمشاركة :",
            "Mixed: English, Русский, 中文, עברית, हिन्दी — all in one body.",
        ]
        for (index, text) in texts.enumerated() {
            let path = try fixture.folder.write("in/\(index).txt", text)
            let (report, problems) = try fixture.ingest([.path(path)])
            #expect(problems.isEmpty && report.newArticles == 1)
            let version = try fixture.archive.version(key: "in/\(index).txt")
            #expect(try fixture.archive.store.read(version.rawObject) == Array(text.utf8))
        }
        #expect(try fixture.archive.verify().isHealthy)
    }

    @Test("NUL characters, control-character keys and truncated JSONL lines are rejected by line")
    func brokenJSONL() throws {
        let fixture = try ArchiveFixture()
        let lines = [
            #"{"text":"Has a NUL \u0000 inside."}"#,
            #"{"text":"Good one.","key":"ok"}"#,
            #"{"text":"Lone surrogate \ud800 here."}"#,
            #"{"text":"Cut off in the mid"#,
        ]
        let file = try fixture.folder.write("broken.jsonl", lines.joined(separator: "\n"))
        let (report, problems) = try fixture.ingest([.path(file)])
        #expect(report.newArticles == 1)
        #expect(problems.contains { $0.origin.line == 1 && $0.message.contains("NUL") })
        #expect(problems.contains { $0.origin.line == 4 })
        #expect(try fixture.archive.verify().isHealthy)
    }

    @Test("keys and URLs with ../, absolute paths and control characters are only names")
    func hostileKeys() throws {
        let fixture = try ArchiveFixture()
        let keys = ["../../etc/passwd", "/absolute/path", "tab\there", "new\nline", "https://x.example/../../a"]
        let lines = try keys.enumerated().map { index, key in
            String(decoding: try JSONSerialization.data(withJSONObject: ["text": "Body \(index).", "key": key]), as: UTF8.self)
        }
        try fixture.ingest([.path(try fixture.folder.write("keys.jsonl", lines.joined(separator: "\n")))])
        #expect(Set(try fixture.archive.articles().map(\.key)) == Set(keys))
        let out = fixture.folder.url.appendingPathComponent("out")
        #expect(try fixture.archive.export(format: .txt, to: out.path).articles == keys.count)
        #expect(try FileManager.default.contentsOfDirectory(atPath: out.path).count == keys.count)
        #expect(!FileManager.default.fileExists(atPath: fixture.folder.path("etc")))
    }

    @Test("a symbolic link loop in a folder does not trap the walk")
    func symlinkLoop() throws {
        let fixture = try ArchiveFixture()
        try fixture.folder.write("tree/a.txt", "Body A.")
        try FileManager.default.createSymbolicLink(
            atPath: fixture.folder.path("tree/loop"), withDestinationPath: fixture.folder.path("tree"))
        try FileManager.default.createSymbolicLink(
            atPath: fixture.folder.path("tree/dangling.txt"), withDestinationPath: fixture.folder.path("nowhere"))
        let (report, problems) = try fixture.ingest([.path(fixture.folder.path("tree"))])
        #expect(report.newArticles == 1)
        #expect(problems.count == 1)
        #expect(problems.first?.origin.path?.hasSuffix("dangling.txt") == true)
    }

    @Test("a 50 MB single line is skipped without being held, and the records after it are archived")
    func fiftyMegabyteLine() throws {
        let fixture = try ArchiveFixture()
        let file = fixture.folder.path("huge.jsonl")
        var data = Data(#"{"text":""#.utf8)
        data.append(Data(repeating: UInt8(ascii: "a"), count: 50 << 20))
        data.append(Data((#""}"# + "\n" + #"{"text":"Small record after the huge one."}"#).utf8))
        try data.write(to: URL(fileURLWithPath: file))
        let (report, problems) = try fixture.ingest([.path(file)], options: IngestOptions(maximumBodyBytes: 1 << 20))
        #expect(report.newArticles == 1)
        #expect(problems.map(\.origin.line) == [1])
        #expect(problems.first?.message.contains("exceeds the record limit") == true)
    }

    @Test("a JSON line nested ten thousand levels deep is rejected, not a crash")
    func deepNesting() throws {
        let fixture = try ArchiveFixture()
        let deep = String(repeating: "[", count: 10_000) + String(repeating: "]", count: 10_000)
        let file = try fixture.folder.write("deep.jsonl", deep + "\n" + #"{"text":"After it."}"#)
        let (report, problems) = try fixture.ingest([.path(file)])
        #expect(report.newArticles == 1)
        #expect(problems.map(\.origin.line) == [1])
    }

    @Test("generated and mutated JSONL lines never crash the reader, and every line is archived or rejected",
          .timeLimit(.minutes(2)))
    func fuzzJSONLReader() throws {
        let iterations = Int(ProcessInfo.processInfo.environment["FUZZ_ITERATIONS"] ?? "") ?? 3000
        var seedState = UInt64(ProcessInfo.processInfo.environment["FUZZ_SEED"] ?? "") ?? 20261123
        func next(_ bound: Int) -> Int {
            seedState = seedState &* 6364136223846793005 &+ 1442695040888963407
            return Int((seedState >> 33) % UInt64(bound))
        }
        let seeds = [
            #"{"text":"Plain body.","url":"https://a.example/1","title":"T","fetched_at":"2026-01-01"}"#,
            #"{"text":"Escapes \" \\ \/ \b \f \n \r \t \u00e9 \ud83d\ude00","key":"k"}"#,
            #"{"text":"Extra fields","tags":["a",1,null,true],"nested":{"x":[{}]}}"#,
        ]
        let alphabet = Array(#"{}[]":,\u0000tnfr0123456789eE+-. abcé😀"#.utf8) + [0xFF, 0xC3, 0x80, 0x00, 0x0A]
        var lines: [[UInt8]] = []
        for _ in 0..<iterations {
            var bytes = Array(seeds[next(seeds.count)].utf8)
            switch next(4) {
            case 0:  // flip bytes
                for _ in 0...next(4) where !bytes.isEmpty { bytes[next(bytes.count)] = alphabet[next(alphabet.count)] }
            case 1:  // truncate
                bytes = Array(bytes.prefix(next(bytes.count + 1)))
            case 2:  // insert
                for _ in 0...next(6) { bytes.insert(alphabet[next(alphabet.count)], at: next(bytes.count + 1)) }
            default:  // random bytes
                bytes = (0..<next(64)).map { _ in UInt8(next(256)) }
            }
            lines.append(bytes.filter { $0 != 0x0A })
        }
        let fixture = try ArchiveFixture()
        let file = fixture.folder.path("fuzz.jsonl")
        try Data(lines.joined(separator: [0x0A])).write(to: URL(fileURLWithPath: file))
        let (report, problems) = try fixture.ingest([.path(file)], options: IngestOptions(batchSize: 1000))
        let blank = lines.filter { $0.allSatisfy { $0 == 0x20 || $0 == 0x09 || $0 == 0x0D } }.count
        #expect(report.captures + report.rejected + blank == lines.count)
        #expect(problems.allSatisfy { $0.origin.line != nil && !$0.message.isEmpty })
        #expect(try fixture.archive.verify().isHealthy)
    }
}
