import Foundation
import Testing
import TestSupport

@Suite("archive clusters and similar, end to end")
struct ClustersCLITests {
    @Test("clusters --json follows its contract; similar and export --dedup agree")
    func jsonContract() throws {
        let folder = try TemporaryDirectory()
        let archive = ArchiveBinary(store: folder.path("archive"))
        let seed = try String(contentsOfFile: ArchiveBinary.seeds + "/002_79120976f095eee3.txt", encoding: .utf8)
        let other = try String(contentsOfFile: ArchiveBinary.seeds + "/003_d11ef2eea91aa6fc.txt", encoding: .utf8)
        let records = [
            ["text": seed, "url": "https://one.example/lavrov", "title": "Lavrov meets Haftar"],
            ["text": seed.replacingOccurrences(of: "Lavrov", with: "Sergei Lavrov"), "url": "https://two.example/haftar"],
            ["text": other, "url": "https://three.example/guterres"],
        ]
        let feed = try records.map { String(decoding: try JSONSerialization.data(withJSONObject: $0), as: UTF8.self) }
        let file = try folder.write("feed.jsonl", feed.joined(separator: "\n"))
        #expect(try archive.run("ingest", file).status == 0)

        let result = try archive.run("clusters", "--json")
        #expect(result.status == 0, "\(result.stderr)")
        let clusters = try JSONSerialization.jsonObject(with: result.stdoutData) as! [[String: Any]]
        #expect(clusters.count == 1)
        let cluster = clusters[0]
        #expect(Set(cluster.keys).isSuperset(of: ["id", "size", "representative", "members"]))
        #expect(cluster["size"] as? Int == 2)
        let representative = cluster["representative"] as! [String: Any]
        #expect(representative["key"] as? String == "https://one.example/lavrov")
        let members = cluster["members"] as! [[String: Any]]
        for member in members {
            #expect(Set(member.keys).isSuperset(of: ["key", "url", "source", "title", "similarity"]))
            #expect((member["similarity"] as! Double) >= 0.4)
        }
        #expect(members.compactMap { $0["source"] as? String }.sorted() == ["one.example", "two.example"])

        let similar = try archive.run("similar", "https://two.example/haftar", "--json")
        let near = try JSONSerialization.jsonObject(with: similar.stdoutData) as! [[String: Any]]
        #expect(near.map { $0["key"] as! String } == ["https://one.example/lavrov"])

        let strict = try archive.run("clusters", "--json", "--threshold", "0.99")
        #expect((try JSONSerialization.jsonObject(with: strict.stdoutData) as! [Any]).isEmpty)
        let invalid = try archive.run("clusters", "--threshold", "7")
        #expect(invalid.status != 0)

        let export = try archive.run("export", "--format", "jsonl", "--out", "-", "--dedup")
        #expect(export.stdout.split(separator: "\n").count == 2)
    }
}
