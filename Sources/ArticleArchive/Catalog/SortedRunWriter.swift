#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif

/// Writes a run from records given in order, through a buffer, with the Bloom filter of their keys, and makes it
/// durable under its final name.
///
/// A noncopyable struct, not a class: appending a record then costs no exclusivity check at run time (as a class,
/// each record cost two, a third of the time runs took to write).
struct SortedRunWriter: ~Copyable {
    let path: String
    private let temporaryPath: String
    /// Added to a run's path while it is written.
    static let temporarySuffix = ".tmp"
    private var descriptor: Int32
    private var output: Output
    private let filterSectionBlocks: Int
    /// The records appended.
    var count: Int { output.count }

    /// The bytes not written to the file yet, a fixed buffer filled word by word (where appending to an array cost a
    /// generic call per record), and what the trailer needs to know of the records.
    private struct Output {
        static let capacity = 1 << 20
        let bytes = UnsafeMutableRawPointer.allocate(byteCount: capacity, alignment: 16)
        var used = 0
        var fences: [UInt64] = []
        var last: RunRecord?
        var count = 0
        var distinctKeys = 0

        var isFull: Bool { used > Self.capacity - 16 }

        @inline(__always)
        mutating func append(_ value: UInt64) {
            bytes.storeBytes(of: value.littleEndian, toByteOffset: used, as: UInt64.self)
            used += 8
        }

        /// Appends a record, which must follow the last one.
        @inline(__always)
        mutating func add(_ record: RunRecord) {
            if let last {
                precondition(RunRecord.precedes(last, record), "run records out of order")
                if last.key != record.key { distinctKeys += 1 }
            } else {
                distinctKeys = 1
            }
            last = record
            if count % SortedRun.recordsPerBlock == 0 { fences.append(record.key) }
            count += 1
            bytes.storeBytes(of: record.key.littleEndian, toByteOffset: used, as: UInt64.self)
            bytes.storeBytes(of: record.tagged.littleEndian, toByteOffset: used + 8, as: UInt64.self)
            used += 16
        }

        /// Appends at most `capacity - used` bytes (the caller flushes first when more may follow).
        mutating func append(_ data: [UInt8]) {
            precondition(used + data.count <= Self.capacity, "a run writer's buffer overflows")
            data.withUnsafeBytes { (bytes + used).copyMemory(from: $0.baseAddress!, byteCount: $0.count) }
            used += data.count
        }
    }

    /// - Parameter filterSectionBlocks: blocks of the Bloom filter made at once (the file is the same whatever it
    ///   is; the memory taken and the times the records are read back are not).
    init(path: String, filterSectionBlocks: Int = SortedRunWriter.defaultFilterSectionBlocks) throws {
        precondition(filterSectionBlocks >= 1)
        self.path = path
        self.filterSectionBlocks = filterSectionBlocks
        temporaryPath = path + Self.temporarySuffix
        descriptor = open(temporaryPath, O_RDWR | O_CREAT | O_TRUNC | O_CLOEXEC, 0o644)
        // Thrown before the buffer exists, so the deinitializer (which frees it) does not run.
        guard descriptor >= 0 else { throw StoreError.io(path: temporaryPath, operation: "create", errno: errno) }
        output = Output()
        output.append(SortedRun.headerMagic)
        output.append(0)
    }

    deinit {
        output.bytes.deallocate()
    }

    mutating func append(_ record: RunRecord) throws {
        output.add(record)
        if output.isFull { try flush() }
    }

    /// Writes the fences, the filter and the count, fsyncs, and renames the file into place (the caller syncs the
    /// folder).
    mutating func finish() throws {
        try flush()
        for fence in output.fences {
            output.append(fence)
            if output.isFull { try flush() }
        }
        let blocks = RunBloomFilter.blockCount(capacity: output.distinctKeys)
        for first in stride(from: 0, to: blocks, by: filterSectionBlocks) {
            let section = try filterOfRecordsWritten(
                section: first..<min(blocks, first + filterSectionBlocks), of: blocks)
            for word in section.words {
                output.append(word)
                if output.isFull { try flush() }
            }
        }
        output.append(UInt64(blocks))
        output.append(SortedRun.trailerMagic)
        try flush()
        // The record count, in the header's second word, now that it is known.
        let written = withUnsafeBytes(of: UInt64(count).littleEndian) { pwrite(descriptor, $0.baseAddress!, 8, 8) }
        guard written == 8 else { throw fail("write") }
        guard fsync(descriptor) == 0 else { throw fail("fsync") }
        close(descriptor)
        descriptor = -1
        guard rename(temporaryPath, path) == 0 else {
            let code = errno
            unlink(temporaryPath)
            throw StoreError.io(path: path, operation: "rename \(temporaryPath) to", errno: code)
        }
    }

    /// Blocks of the filter made at once, by default (2 MiB). A run's filter is made and written a section at a time, each
    /// reading the records back: the merge into one of the largest runs happens while readers still hold the runs
    /// it replaces, and a whole filter made beside theirs (8 MB for a run of 2^23 keys) set the ingest's peak memory.
    static let defaultFilterSectionBlocks = 32_768

    /// A section of the filter of the keys, sized for the number of distinct ones, read back from the records
    /// written (a sequential read of what was just written, where sizing the filter up front would waste memory on
    /// runs whose keys repeat, and merges that drop records).
    private mutating func filterOfRecordsWritten(section blocks: Range<Int>, of totalBlocks: Int) throws -> RunBloomFilter {
        var filter = RunBloomFilter(section: blocks, of: totalBlocks)
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
    mutating func discard() {
        guard descriptor >= 0 else { return }
        close(descriptor)
        descriptor = -1
        unlink(temporaryPath)
    }

    private mutating func flush() throws {
        var offset = 0
        while offset < output.used {
            let written = write(descriptor, output.bytes + offset, output.used - offset)
            if written < 0 {
                if errno == EINTR { continue }
                throw fail("write")
            }
            offset += written
        }
        output.used = 0
    }

    private mutating func fail(_ operation: String) -> StoreError {
        let code = errno
        discard()
        return StoreError.io(path: temporaryPath, operation: operation, errno: code)
    }
}
