import Foundation
import TestSupport
@testable import ArticleArchive

/// A new archive in a temporary folder, with a place for input files beside it.
struct ArchiveFixture {
    let folder: TemporaryDirectory
    let archive: Archive

    /// - Parameter backgroundMergeEntries: from how many entries the catalog's indexes merge in the background.
    init(backgroundMergeEntries: Int = RunIndex.defaultBackgroundMergeEntries) throws {
        folder = try TemporaryDirectory()
        archive = try Archive.open(
            at: folder.path("archive"), create: true, backgroundMergeEntries: backgroundMergeEntries)
    }

    /// Ingests `inputs`, returning the report and every problem reported.
    @discardableResult
    func ingest(_ inputs: [IngestInput], options: IngestOptions = IngestOptions()) throws
        -> (report: IngestReport, problems: [InputProblem])
    {
        var problems: [InputProblem] = []
        let report = try archive.ingest(inputs, options: options) { problems.append($0) }
        return (report, problems)
    }

    /// Ingests one text body under `key`.
    @discardableResult
    func ingest(text: String, key: String, name: String = UUID().uuidString) throws -> IngestReport {
        let path = try folder.write("inputs/\(name).txt", text)
        return try ingest([.path(path)], options: IngestOptions(key: key)).report
    }

    /// Ingests JSONL records (each a JSON object) as one file, in batches of `batchSize`; expects no problem.
    @discardableResult
    func ingest(records: [[String: Any]], batchSize: Int = 2) throws -> IngestReport {
        let lines = try records.map { String(decoding: try JSONSerialization.data(withJSONObject: $0), as: UTF8.self) }
        let file = try folder.write("feed-\(UUID().uuidString).jsonl", lines.joined(separator: "\n"))
        let (report, problems) = try ingest([.path(file)], options: IngestOptions(batchSize: batchSize))
        precondition(problems.isEmpty, "unexpected input problems: \(problems)")
        return report
    }

    /// An archive folder with the git layout and no catalog yet, for a test to make an older catalog in.
    static func bareArchive(in folder: TemporaryDirectory) throws -> (directory: URL, store: ObjectStore) {
        let directory = URL(fileURLWithPath: folder.path("archive"))
        try FileManager.default.createDirectory(at: directory, withIntermediateDirectories: true)
        try GitRepositoryLayout.create(at: directory)
        return (directory, ObjectStore(directory: directory))
    }

    /// The seeds folder of the package.
    static var seedsPath: String {
        URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent()
            .deletingLastPathComponent().deletingLastPathComponent().appendingPathComponent("seeds").path
    }
}
