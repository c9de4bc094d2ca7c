#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif
import Synchronization

/// Pack files kept open for reading, the most recently used few: a re-fetch reads its latest cleaned text from a
/// pack, and the writer reads candidates' texts, and each read opened and closed its pack (at 100k re-fetches, the
/// `open` alone was 3.5% of the ingest).
///
/// A pack never changes once written, so an open file is as good as a new one; a pack `gc` removed meanwhile is
/// still read through a file opened before (what it held is what the catalog asked for: reads check the hash).
final class OpenPackFiles: Sendable {
    /// One open pack file, closed when the last reader lets go of it (not when the cache drops it: a reader on
    /// another thread may be using it).
    final class File: Sendable {
        let descriptor: Int32

        fileprivate init(descriptor: Int32) {
            self.descriptor = descriptor
        }

        deinit { close(descriptor) }
    }

    /// Why a pack could not be opened.
    struct OpenFailure: Error {
        let errno: Int32
    }

    /// Files kept open at most.
    static let capacity = 16

    /// The open files, the most recently used last.
    private let files = Mutex<[(path: String, file: File)]>([])

    /// The pack file at `path`, open for reading.
    func file(at path: String) throws(OpenFailure) -> File {
        let cached = files.withLock { files -> File? in
            guard let index = files.lastIndex(where: { $0.path == path }) else { return nil }
            let entry = files.remove(at: index)
            files.append(entry)
            return entry.file
        }
        if let cached { return cached }
        let descriptor = open(path, O_RDONLY | O_CLOEXEC)
        guard descriptor >= 0 else { throw OpenFailure(errno: errno) }
        let file = File(descriptor: descriptor)
        files.withLock { files in
            files.append((path, file))
            if files.count > Self.capacity { files.removeFirst() }
        }
        return file
    }
}
