import Foundation
import Testing
import TestSupport
@testable import ArticleArchive

@Suite("Git reads the store")
struct GitInteroperabilityTests {
    @Test("git names, prints and checks the objects we write")
    func gitReadsObjects() throws {
        let fixture = try ArchiveFixture()
        let archivePath = fixture.archive.directory.path
        let bodies = ["first body\n", "second body, no newline", "جسم عربي\nwith two lines\n", ""]
        for body in bodies {
            let stored = try fixture.archive.store.write(Array(body.utf8))
            let file = try fixture.folder.write("body-\(stored.id.hex.prefix(8)).txt", body)
            let hashed = try Shell.run("git", ["--git-dir=\(archivePath)", "hash-object", file])
            #expect(hashed.status == 0, "\(hashed.stderr)")
            #expect(hashed.stdout.trimmingCharacters(in: .whitespacesAndNewlines) == stored.id.hex)
            let printed = try Shell.run("git", ["--git-dir=\(archivePath)", "cat-file", "-p", stored.id.hex])
            #expect(printed.status == 0, "\(printed.stderr)")
            #expect(printed.stdoutData == Data(body.utf8))
            let type = try Shell.run("git", ["--git-dir=\(archivePath)", "cat-file", "-t", stored.id.hex])
            #expect(type.stdout == "blob\n")
        }
        let format = try Shell.run("git", ["--git-dir=\(archivePath)", "rev-parse", "--show-object-format"])
        #expect(format.stdout == "sha256\n")
        let fsck = try Shell.run("git", ["--git-dir=\(archivePath)", "fsck", "--full", "--strict"])
        #expect(fsck.status == 0, "\(fsck.stderr)")
        #expect(!fsck.stderr.contains("error"))
    }

    @Test("git fsck passes after an ingest of the seeds, and fails on a damaged object")
    func gitChecksIngestedArchive() throws {
        let fixture = try ArchiveFixture()
        try fixture.ingest([.path(ArchiveFixture.seedsPath)])
        let archivePath = fixture.archive.directory.path
        let clean = try Shell.run("git", ["--git-dir=\(archivePath)", "fsck", "--full"])
        #expect(clean.status == 0, "\(clean.stderr)")
        let victim = try #require(fixture.archive.store.allObjectIDs().first)
        try ObjectDamage.flipByte(in: fixture.archive.store.path(of: victim), at: 30)
        let damaged = try Shell.run("git", ["--git-dir=\(archivePath)", "fsck", "--full"])
        #expect(damaged.status != 0)
    }
}
