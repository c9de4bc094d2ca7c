#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif

/// Writes a run from records given in order, through a buffer, with the Bloom filter of their keys, and makes it
/// durable under its final name.
final class SortedRunWriter {
    let path: String
    private let temporaryPath: String
    private var descriptor: Int32
    private var buffer: [UInt8] = []
    private var fences: [UInt64] = []
    private var last: RunRecord?
    private(set) var count = 0
    private var distinctKeys = 0

    init(path: String) throws {
        self.path = path
        temporaryPath = path + ".tmp"
        descriptor = open(temporaryPath, O_RDWR | O_CREAT | O_TRUNC | O_CLOEXEC, 0o644)
        guard descriptor >= 0 else { throw StoreError.io(path: temporaryPath, operation: "create", errno: errno) }
        buffer.reserveCapacity(1 << 20)
        buffer += SortedRun.headerMagic
        buffer += [UInt8](repeating: 0, count: 8)
    }

    func append(_ record: RunRecord) throws {
        if let last { precondition(RunRecord.precedes(last, record), "run records out of order") }
        if last?.key != record.key { distinctKeys += 1 }
        last = record
        if count % SortedRun.recordsPerBlock == 0 { fences.append(record.key) }
        Self.append(record.key, to: &buffer)
        Self.append(record.tagged, to: &buffer)
        count += 1
        if buffer.count >= 1 << 20 { try flush() }
    }

    /// Writes the fences, the filter and the count, fsyncs, and renames the file into place (the caller syncs the
    /// folder).
    func finish() throws {
        try flush()
        let filter = try filterOfRecordsWritten()
        for fence in fences { Self.append(fence, to: &buffer) }
        if buffer.count >= 1 << 20 { try flush() }
        for word in filter.words {
            Self.append(word, to: &buffer)
            if buffer.count >= 1 << 20 { try flush() }
        }
        Self.append(UInt64(filter.blockCount), to: &buffer)
        buffer += SortedRun.trailerMagic
        try flush()
        var header = [UInt8]()
        Self.append(UInt64(count), to: &header)
        guard header.withUnsafeBytes({ pwrite(descriptor, $0.baseAddress!, 8, 8) }) == 8 else {
            throw fail("write")
        }
        guard fsync(descriptor) == 0 else { throw fail("fsync") }
        close(descriptor)
        descriptor = -1
        guard rename(temporaryPath, path) == 0 else {
            let code = errno
            unlink(temporaryPath)
            throw StoreError.io(path: path, operation: "rename \(temporaryPath) to", errno: code)
        }
    }

    /// The filter of the keys, sized for the number of distinct ones, read back from the records written (a
    /// sequential read of what was just written, where sizing the filter up front would waste memory on runs whose
    /// keys repeat, and merges that drop records).
    private func filterOfRecordsWritten() throws -> RunBloomFilter {
        var filter = RunBloomFilter(capacity: distinctKeys)
        let chunk = 4096
        try withUnsafeTemporaryAllocation(byteCount: chunk * SortedRun.recordSize, alignment: 8) { bytes in
            var next = 0
            while next < count {
                let records = min(chunk, count - next)
                let length = records * SortedRun.recordSize
                let got = try SortedRun.read(
                    descriptor, path: temporaryPath, at: 16 + next * SortedRun.recordSize, into: bytes, count: length)
                guard got == length else { throw fail("read back") }
                for index in 0..<records {
                    filter.insert(UInt64(littleEndian: bytes.loadUnaligned(fromByteOffset: index * 16, as: UInt64.self)))
                }
                next += records
            }
        }
        return filter
    }

    /// Abandons the file (if it is not in place yet).
    func discard() {
        guard descriptor >= 0 else { return }
        close(descriptor)
        descriptor = -1
        unlink(temporaryPath)
    }

    private func flush() throws {
        var offset = 0
        while offset < buffer.count {
            let written = buffer.withUnsafeBytes { write(descriptor, $0.baseAddress! + offset, $0.count - offset) }
            if written < 0 {
                if errno == EINTR { continue }
                throw fail("write")
            }
            offset += written
        }
        buffer.removeAll(keepingCapacity: true)
    }

    private func fail(_ operation: String) -> StoreError {
        let code = errno
        discard()
        return StoreError.io(path: temporaryPath, operation: operation, errno: code)
    }

    private static func append(_ value: UInt64, to bytes: inout [UInt8]) {
        withUnsafeBytes(of: value.littleEndian) { bytes.append(contentsOf: $0) }
    }
}
