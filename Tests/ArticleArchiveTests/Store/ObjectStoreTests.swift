import Foundation
import Testing
import TestSupport
@testable import ArticleArchive

@Suite("Object store")
struct ObjectStoreTests {
    @Test("round trip returns the exact bytes and names them as git does")
    func roundTrip() throws {
        let fixture = try ArchiveFixture()
        let store = fixture.archive.store
        for body in [Array("hello\n".utf8), [], Array("مشاركة : ✓\r\n".utf8), (0..<300_000).map { UInt8($0 % 251) }] {
            let stored = try store.write(body)
            #expect(stored.created)
            #expect(try store.read(stored.id) == body)
            #expect(FileManager.default.fileExists(atPath: store.path(of: stored.id)))
        }
        // The well-known SHA-256 git id of the empty blob.
        #expect(ObjectID.forBlob([UInt8]()).hex == "473a0f4c3be8a93681a267e3b1e9a7dcda1185436fe141f7749120a303721813")
    }

    @Test("identical bytes are stored once")
    func deduplicates() throws {
        let fixture = try ArchiveFixture()
        let store = fixture.archive.store
        let first = try store.write(Array("same body".utf8))
        let second = try store.write(Array("same body".utf8))
        #expect(first.id == second.id)
        #expect(first.created && !second.created)
        #expect(first.storedSize == second.storedSize)
        #expect(store.allObjectIDs() == [first.id])
        let leftovers = try FileManager.default.contentsOfDirectory(atPath: store.temporaryDirectory.path)
        #expect(leftovers.isEmpty)
    }

    @Test("a flipped byte in an object file is an error naming the object, never data")
    func detectsFlippedByte() throws {
        let fixture = try ArchiveFixture()
        let store = fixture.archive.store
        let stored = try store.write(Array(String(repeating: "An article body. ", count: 50).utf8))
        try ObjectDamage.flipByte(in: store.path(of: stored.id), at: 20)
        #expect {
            _ = try store.read(stored.id)
        } throws: { error in
            guard let error = error as? StoreError, error.objectID == stored.id else { return false }
            return error.description.contains(stored.id.hex)
        }
    }

    @Test("content that hashes to another id is reported as a mismatch")
    func detectsSubstitutedObject() throws {
        let fixture = try ArchiveFixture()
        let store = fixture.archive.store
        let original = try store.write(Array("original".utf8))
        let other = try store.write(Array("other".utf8))
        let path = store.path(of: original.id)
        chmod(path, 0o644)
        try FileManager.default.removeItem(atPath: path)
        try FileManager.default.copyItem(atPath: store.path(of: other.id), toPath: path)
        #expect(throws: StoreError.hashMismatch(original.id, path: path, actual: other.id)) {
            try store.read(original.id)
        }
    }

    @Test("a missing or truncated object is reported")
    func detectsMissingAndTruncated() throws {
        let fixture = try ArchiveFixture()
        let store = fixture.archive.store
        let stored = try store.write(Array(String(repeating: "text ", count: 100).utf8))
        let path = store.path(of: stored.id)
        chmod(path, 0o644)
        let compressed = try Data(contentsOf: URL(fileURLWithPath: path))
        try compressed.prefix(compressed.count / 2).write(to: URL(fileURLWithPath: path))
        #expect(throws: StoreError.self) { try store.read(stored.id) }
        try FileManager.default.removeItem(atPath: path)
        #expect(throws: StoreError.missingObject(stored.id, path: path)) { try store.read(stored.id) }
    }

    @Test("object ids parse only from 64 hex digits")
    func objectIDParsing() {
        #expect(ObjectID(hex: String(repeating: "a", count: 64)) != nil)
        #expect(ObjectID(hex: String(repeating: "A", count: 64))?.hex == String(repeating: "a", count: 64))
        #expect(ObjectID(hex: String(repeating: "a", count: 63)) == nil)
        #expect(ObjectID(hex: String(repeating: "g", count: 64)) == nil)
        #expect(ObjectID(hex: "../" + String(repeating: "a", count: 61)) == nil)
    }
}

/// Ways tests damage an archive on purpose.
enum ObjectDamage {
    struct NotStored: Error {}

    /// Flips a byte of an archived object as stored: in its loose file, or in its entry in a pack.
    static func flipByte(of id: ObjectID, in archive: Archive, at offset: Int) throws {
        let loose = archive.store.path(of: id)
        if FileManager.default.fileExists(atPath: loose) { return try flipByte(in: loose, at: offset) }
        guard let location = try archive.catalog.location(of: id) else { throw NotStored() }
        try flipByte(in: archive.store.packPath(location.pack), at: location.offset + min(offset, location.length - 1))
    }

    /// Loses an archived object: its loose file, or the whole pack that holds it (with the rest of its batch).
    static func remove(_ id: ObjectID, in archive: Archive) throws {
        let loose = archive.store.path(of: id)
        if FileManager.default.fileExists(atPath: loose) { return try FileManager.default.removeItem(atPath: loose) }
        guard let location = try archive.catalog.location(of: id) else { throw NotStored() }
        try FileManager.default.removeItem(atPath: archive.store.packPath(location.pack))
    }

    static func flipByte(in path: String, at offset: Int) throws {
        chmod(path, 0o644)
        var bytes = Array(try Data(contentsOf: URL(fileURLWithPath: path)))
        bytes[min(offset, bytes.count - 1)] ^= 0x40
        try Data(bytes).write(to: URL(fileURLWithPath: path))
    }
}
