import Foundation
import TestSupport

/// The built `archive` executable, run the way a user runs it.
struct ArchiveBinary {
    static let url: URL = {
        if let override = ProcessInfo.processInfo.environment["ARCHIVE_BINARY"] {
            return URL(fileURLWithPath: override)
        }
        var candidates: [URL] = []
        if let executable = Bundle.main.executableURL { candidates.append(executable.deletingLastPathComponent()) }
        candidates.append(Bundle.main.bundleURL)
        candidates.append(Bundle.main.bundleURL.deletingLastPathComponent())
        candidates.append(URL(fileURLWithPath: CommandLine.arguments[0]).deletingLastPathComponent())
        for folder in candidates {
            let binary = folder.appendingPathComponent("archive")
            if FileManager.default.isExecutableFile(atPath: binary.path) { return binary }
        }
        fatalError("cannot find the built archive binary near \(candidates.map(\.path)); set ARCHIVE_BINARY")
    }()

    static var seeds: String {
        URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent()
            .deletingLastPathComponent().appendingPathComponent("seeds").path
    }

    let store: String

    /// Runs `archive ARGUMENTS --store STORE` (the store option goes after the subcommand).
    func run(_ arguments: String..., stdin: String? = nil) throws -> Shell.Result {
        try Shell.run(
            Self.url.path, arguments.prefix(1) + ["--store", store] + arguments.dropFirst(),
            stdin: stdin.map { Data($0.utf8) })
    }
}
