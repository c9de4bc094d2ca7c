#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif

/// One entry of the LSH index: an article in a bucket, or (a tombstone) an article no longer in it.
struct LSHRecord: Equatable, Sendable {
    var bucket: UInt64
    /// `article << 1`, plus 1 for a tombstone: an article's records sort together whatever their kind.
    var tagged: UInt64

    init(bucket: UInt64, article: Int64, isTombstone: Bool = false) {
        self.bucket = bucket
        tagged = UInt64(article) << 1 | (isTombstone ? 1 : 0)
    }

    init(bucket: UInt64, tagged: UInt64) {
        self.bucket = bucket
        self.tagged = tagged
    }

    var article: Int64 { Int64(tagged >> 1) }
    var isTombstone: Bool { tagged & 1 == 1 }

    /// Bucket, then article: the order of a run.
    static func precedes(_ a: LSHRecord, _ b: LSHRecord) -> Bool {
        a.bucket != b.bucket ? a.bucket < b.bucket : a.tagged >> 1 < b.tagged >> 1
    }
}

/// An immutable file of LSH records sorted by bucket, then article (one sorted run of a log-structured index):
///
///     "AALSHRN1", record count (UInt64)                     16 bytes
///     records: bucket (UInt64), article << 1 | tombstone    16 bytes each
///     fences: the bucket of every `recordsPerBlock`-th record   8 bytes each
///     "AALSHEND"                                            8 bytes
///
/// all little-endian. The fences stay in memory (half a byte per record), so finding a bucket costs one read of a
/// 512-byte block (more only when the bucket's records span blocks): blocks of 4 KiB spent more time copying
/// than finding.
final class LSHRun: Sendable {
    static let recordsPerBlock = 32
    static let recordSize = 16
    static let headerMagic = Array("AALSHRN1".utf8)
    static let trailerMagic = Array("AALSHEND".utf8)

    let path: String
    let count: Int
    private let descriptor: Int32
    private let fences: [UInt64]

    /// Opens a run, checking that its size matches its header.
    init(path: String) throws {
        let descriptor = open(path, O_RDONLY | O_CLOEXEC)
        guard descriptor >= 0 else { throw StoreError.io(path: path, operation: "open", errno: errno) }
        var succeeded = false
        defer { if !succeeded { close(descriptor) } }
        func corrupt(_ reason: String) -> StoreError { .corruptIndex(path: path, reason: reason) }
        var info = stat()
        guard fstat(descriptor, &info) == 0 else { throw StoreError.io(path: path, operation: "stat", errno: errno) }
        let header = try Self.read(descriptor, path: path, at: 0, count: 16)
        guard header.count == 16, Array(header[0..<8]) == Self.headerMagic else { throw corrupt("no LSH run header") }
        let count = Int(Self.uint64(header, at: 8))
        let fenceCount = (count + Self.recordsPerBlock - 1) / Self.recordsPerBlock
        let fenceOffset = 16 + count * Self.recordSize
        guard Int(info.st_size) == fenceOffset + fenceCount * 8 + 8 else {
            throw corrupt("\(info.st_size) bytes, where \(count) records take \(fenceOffset + fenceCount * 8 + 8)")
        }
        let tail = try Self.read(descriptor, path: path, at: fenceOffset, count: fenceCount * 8 + 8)
        guard Array(tail[(fenceCount * 8)...]) == Self.trailerMagic else { throw corrupt("no LSH run trailer") }
        fences = (0..<fenceCount).map { Self.uint64(tail, at: $0 * 8) }
        self.path = path
        self.count = count
        self.descriptor = descriptor
        succeeded = true
    }

    deinit { close(descriptor) }

    /// The records of `bucket`, in article order.
    func records(in bucket: UInt64) throws -> [LSHRecord] {
        guard let first = fences.first, bucket >= first else { return [] }
        // The last block starting at or before the bucket: its records may run on into later blocks, and an
        // earlier block may end with it when this one starts with it.
        var low = 0, high = fences.count
        while low < high {
            let middle = (low + high) / 2
            if fences[middle] < bucket { low = middle + 1 } else { high = middle }
        }
        var block = max(0, low - 1)
        var found: [LSHRecord] = []
        while block < fences.count && (block == max(0, low - 1) || fences[block] <= bucket) {
            let records = try self.block(block)
            for record in records where record.bucket == bucket { found.append(record) }
            if let last = records.last, last.bucket > bucket { break }
            block += 1
        }
        return found
    }

    /// The records of one block.
    func block(_ index: Int) throws -> [LSHRecord] {
        let start = index * Self.recordsPerBlock
        let end = min(count, start + Self.recordsPerBlock)
        return try records(from: start, count: end - start)
    }

    /// `count` records from the `start`-th.
    func records(from start: Int, count: Int) throws -> [LSHRecord] {
        guard count > 0 else { return [] }
        let bytes = try Self.read(descriptor, path: path, at: 16 + start * Self.recordSize, count: count * Self.recordSize)
        guard bytes.count == count * Self.recordSize else {
            throw StoreError.corruptIndex(path: path, reason: "the file ends inside record \(start + bytes.count / 16)")
        }
        return bytes.withUnsafeBytes { raw in
            (0..<count).map { index in
                LSHRecord(
                    bucket: UInt64(littleEndian: raw.loadUnaligned(fromByteOffset: index * 16, as: UInt64.self)),
                    tagged: UInt64(littleEndian: raw.loadUnaligned(fromByteOffset: index * 16 + 8, as: UInt64.self)))
            }
        }
    }

    /// Every record in order, a block at a time (for merging runs without holding them in memory).
    struct Cursor {
        let run: LSHRun
        private var buffer: [LSHRecord] = []
        private var position = 0
        private var nextRecord = 0
        static let chunk = 4096

        init(_ run: LSHRun) { self.run = run }

        mutating func peek() throws -> LSHRecord? {
            if position == buffer.count {
                guard nextRecord < run.count else { return nil }
                let count = min(Self.chunk, run.count - nextRecord)
                buffer = try run.records(from: nextRecord, count: count)
                nextRecord += count
                position = 0
            }
            return buffer[position]
        }

        mutating func advance() { position += 1 }
    }

    static func uint64(_ bytes: [UInt8], at offset: Int) -> UInt64 {
        (0..<8).reduce(UInt64(0)) { $0 | UInt64(bytes[offset + $1]) << (8 * $1) }
    }

    static func read(_ descriptor: Int32, path: String, at offset: Int, count: Int) throws -> [UInt8] {
        var bytes = [UInt8](repeating: 0, count: count)
        var got = 0
        while got < count {
            let read = bytes.withUnsafeMutableBytes { pread(descriptor, $0.baseAddress! + got, count - got, off_t(offset + got)) }
            if read < 0 {
                if errno == EINTR { continue }
                throw StoreError.io(path: path, operation: "read", errno: errno)
            }
            if read == 0 { break }
            got += read
        }
        bytes.removeSubrange(got...)
        return bytes
    }
}

/// Writes a run from records given in order, through a buffer, and makes it durable under its final name.
final class LSHRunWriter {
    let path: String
    private let temporaryPath: String
    private var descriptor: Int32
    private var buffer: [UInt8] = []
    private var fences: [UInt64] = []
    private var last: LSHRecord?
    private(set) var count = 0

    init(path: String) throws {
        self.path = path
        temporaryPath = path + ".tmp"
        descriptor = open(temporaryPath, O_WRONLY | O_CREAT | O_TRUNC | O_CLOEXEC, 0o644)
        guard descriptor >= 0 else { throw StoreError.io(path: temporaryPath, operation: "create", errno: errno) }
        buffer.reserveCapacity(1 << 20)
        buffer += LSHRun.headerMagic
        buffer += [UInt8](repeating: 0, count: 8)
    }

    func append(_ record: LSHRecord) throws {
        if let last { precondition(LSHRecord.precedes(last, record), "LSH run records out of order") }
        last = record
        if count % LSHRun.recordsPerBlock == 0 { fences.append(record.bucket) }
        Self.append(record.bucket, to: &buffer)
        Self.append(record.tagged, to: &buffer)
        count += 1
        if buffer.count >= 1 << 20 { try flush() }
    }

    /// Writes the fences and the count, fsyncs, and renames the file into place (the caller syncs the folder).
    func finish() throws {
        for fence in fences { Self.append(fence, to: &buffer) }
        buffer += LSHRun.trailerMagic
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
