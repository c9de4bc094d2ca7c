import Foundation
import Testing
import TestSupport
@testable import ArticleArchive

@Suite("Git reads the store")
struct GitInteroperabilityTests {
    @Test("git reads the packs an ingest writes: verify-pack, cat-file, fsck")
    func gitReadsPacks() throws {
        let fixture = try ArchiveFixture()
        try fixture.ingest([.path(ArchiveFixture.seedsPath)])
        let archivePath = fixture.archive.directory.path
        #expect(fixture.archive.store.allObjectIDs().isEmpty)  // nothing loose: one pack per batch
        let packs = fixture.archive.store.packs()
        #expect(packs.indexed.count == 1 && packs.unindexed.isEmpty)
        let verified = try Shell.run("git", [
            "--git-dir=\(archivePath)", "verify-pack", "-v", fixture.archive.store.packPath(packs.indexed[0]),
        ])
        #expect(verified.status == 0, "\(verified.stderr)")
        #expect(verified.stdout.contains("blob"))
        #expect(verified.stdout.contains("chain length = 1"))  // cleaned texts stored as deltas of their raw bodies
        for article in try fixture.archive.articles() {
            let version = try fixture.archive.version(key: article.key)
            for (id, raw) in [(version.rawObject, true), (version.cleanedObject, false)] {
                let printed = try Shell.run("git", ["--git-dir=\(archivePath)", "cat-file", "-p", id.hex])
                #expect(printed.status == 0, "\(printed.stderr)")
                #expect(printed.stdoutData == Data(try fixture.archive.text(of: version, raw: raw).utf8))
            }
        }
        let fsck = try Shell.run("git", ["--git-dir=\(archivePath)", "fsck", "--full", "--strict"])
        #expect(fsck.status == 0, "\(fsck.stderr)")
        #expect(!fsck.stderr.contains("error"))
    }

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
        let victim = try fixture.archive.version(key: try fixture.archive.articles()[0].key).rawObject
        try ObjectDamage.flipByte(of: victim, in: fixture.archive, at: 30)
        let damaged = try Shell.run("git", ["--git-dir=\(archivePath)", "fsck", "--full"])
        #expect(damaged.status != 0)
    }
}
