import Foundation
import TestSupport
@testable import ArticleArchive

/// A new archive in a temporary folder, with a place for input files beside it.
struct ArchiveFixture {
    let folder: TemporaryDirectory
    let archive: Archive

    init() throws {
        folder = try TemporaryDirectory()
        archive = try Archive.open(at: folder.path("archive"), create: true)
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

    /// The seeds folder of the package.
    static var seedsPath: String {
        URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent()
            .deletingLastPathComponent().deletingLastPathComponent().appendingPathComponent("seeds").path
    }
}
