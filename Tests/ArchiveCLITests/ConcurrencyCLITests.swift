import Foundation
import Testing
import TestSupport

@Suite("concurrent archive processes")
struct ConcurrencyCLITests {
    @Test("three ingests and a reader on one archive at once lose no capture and report no lock error")
    func concurrentIngests() throws {
        let folder = try TemporaryDirectory()
        let store = folder.path("archive")
        var feeds: [String] = []
        for feed in 0..<3 {
            let lines = (0..<300).map { index -> String in
                let record: [String: Any] = [
                    "key": "story-\(feed)-\(index % 150)",
                    "text": "Report \(index) from feed \(feed): the council met on Monday and agreed the budget, "
                        + "officials said, adding that the vote had been expected for weeks.",
                ]
                return String(decoding: try! JSONSerialization.data(withJSONObject: record), as: UTF8.self)
            }
            feeds.append(try folder.write("feed-\(feed).jsonl", lines.joined(separator: "\n")))
        }
        let binary = ArchiveBinary.url.path
        let group = DispatchGroup()
        let results = ResultBox()
        for feed in feeds + ["-reader-"] {
            group.enter()
            Thread.detachNewThread {
                let result = feed == "-reader-"
                    ? try? Shell.run(binary, ["clusters", "--store", store, "--json"])
                    : try? Shell.run(binary, ["ingest", "--store", store, feed])
                results.append(feed, result)
                group.leave()
            }
        }
        group.wait()
        for (name, result) in results.all where name != "-reader-" {
            #expect(result?.status == 0, "\(name): \(result?.stderr ?? "did not run")")
            #expect(result?.stderr.contains("locked") == false)
        }
        let stats = try Shell.run(binary, ["stats", "--store", store, "--json"])
        let figures = try JSONSerialization.jsonObject(with: stats.stdoutData) as! [String: Any]
        #expect(figures["captures"] as? Int == 900)
        #expect(figures["articles"] as? Int == 450)
        #expect(figures["versions"] as? Int == 900)
        #expect(try Shell.run(binary, ["verify", "--store", store]).status == 0)
    }
}

private final class ResultBox: @unchecked Sendable {
    private let lock = NSLock()
    private var results: [(String, Shell.Result?)] = []
    func append(_ name: String, _ result: Shell.Result?) { lock.withLock { results.append((name, result)) } }
    var all: [(String, Shell.Result?)] { lock.withLock { results } }
}
