#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif

/// One entry of a run index: an article under a key (an LSH bucket, a site's line), or (a tombstone) an article no
/// longer under it.
struct RunRecord: Equatable, Sendable {
    var key: UInt64
    /// `article << 1`, plus 1 for a tombstone: an article's records sort together whatever their kind.
    var tagged: UInt64

    init(key: UInt64, article: Int64, isTombstone: Bool = false) {
        self.key = key
        tagged = UInt64(article) << 1 | (isTombstone ? 1 : 0)
    }

    init(key: UInt64, tagged: UInt64) {
        self.key = key
        self.tagged = tagged
    }

    var article: Int64 { Int64(tagged >> 1) }
    var isTombstone: Bool { tagged & 1 == 1 }

    /// Key, then article: the order of a run.
    static func precedes(_ a: RunRecord, _ b: RunRecord) -> Bool {
        a.key != b.key ? a.key < b.key : a.tagged >> 1 < b.tagged >> 1
    }
}

/// An immutable file of records sorted by key, then article (one sorted run of a log-structured `RunIndex`):
///
///     "AARUN003", record count (UInt64)                     16 bytes
///     records: key (UInt64), article << 1 | tombstone       16 bytes each
///     fences: the key of every `recordsPerBlock`-th record  8 bytes each
///     Bloom filter of the keys (`RunBloomFilter`)           64 bytes per block
///     Bloom filter block count (UInt64), "AARUNEND"         16 bytes
///
/// all little-endian. The fences and the filter stay in memory: of each fence, the high 32 bits (4 bytes per 64
/// records; keys are uniform hashes, so fences rarely share them, and when they do the fences' keys are read from
/// the file), and the filter at about 7 bits per key: 2.5 MB and 32 MB for the LSH buckets of a million articles.
/// A key the filter rules out costs no read; another costs one read of a 1 KiB block (more only when the key's
/// records span blocks): blocks of 4 KiB spent more time copying and decoding than finding, and 512-byte ones
/// twice the memory. Runs of the earlier formats are read too: "AARUN002", whose filter sets a bit in each word of a
/// block (`RunBloomFilter.Layout.bitPerWord`), and "AARUN001", with no filter (the trailer right after the fences),
/// every lookup reading a block.
final class SortedRun: Sendable {
    static let recordsPerBlock = 64
    static let recordSize = 16
    static let headerMagic = Array("AARUN003".utf8)
    /// The second format's header: a Bloom filter of the `bitPerWord` layout.
    static let bitPerWordHeaderMagic = Array("AARUN002".utf8)
    /// The first format's header: no Bloom filter.
    static let unfilteredHeaderMagic = Array("AARUN001".utf8)
    static let trailerMagic = Array("AARUNEND".utf8)

    let path: String
    let count: Int
    /// Tells this run's blocks apart from other runs' in `cache`.
    private let serial = RunBlockCache.newSerial()
    private let cache: RunBlockCache?
    private let descriptor: Int32
    /// The high 32 bits of each fence: half the memory of whole keys, and as good at finding a key's block.
    private let fences: [UInt32]
    /// `nil` for a run of the first format, and until `loadFilter()` for a run opened without it. Written only by
    /// `init` and `loadFilter()`, which `RunIndex` calls under its lock before it hands the run to anyone who looks
    /// keys up, so no lookup reads it while it changes.
    nonisolated(unsafe) private var filter: RunBloomFilter?
    /// The filter's blocks in the file (`nil` for a run of the first format).
    private let filterBlocks: Int?
    private let filterLayout: RunBloomFilter.Layout
    private let fileSize: Int
    /// Where the fences start in the file.
    private let fenceOffset: Int
    /// Where the filter starts in the file.
    private var filterOffset: Int { fenceOffset + fences.count * 8 }

    /// The size of a run file of `count` records with a filter of `filterBlocks` blocks (`nil`: the first format).
    static func fileSize(count: Int, filterBlocks: Int?) -> Int {
        let fenceCount = (count + recordsPerBlock - 1) / recordsPerBlock
        let records = 16 + count * recordSize + fenceCount * 8
        guard let filterBlocks else { return records + 8 }
        return records + filterBlocks * RunBloomFilter.bytesPerBlock + 16
    }

    /// Opens a run, checking that its size matches its header.
    /// - Parameters:
    ///   - cache: where blocks read are kept, and looked for first.
    ///   - loadingFilter: read the Bloom filter into memory now (else `loadFilter()` must, before keys are looked
    ///     up: without it, a lookup reads a block whether the run holds the key or not).
    init(path: String, cache: RunBlockCache? = nil, loadingFilter: Bool = true) throws {
        self.cache = cache
        let descriptor = open(path, O_RDONLY | O_CLOEXEC)
        guard descriptor >= 0 else { throw StoreError.io(path: path, operation: "open", errno: errno) }
        var succeeded = false
        defer { if !succeeded { close(descriptor) } }
        func corrupt(_ reason: String) -> StoreError { .corruptIndex(path: path, reason: reason) }
        var info = stat()
        guard fstat(descriptor, &info) == 0 else { throw StoreError.io(path: path, operation: "stat", errno: errno) }
        let size = Int(info.st_size)
        let header = try Self.read(descriptor, path: path, at: 0, count: 16)
        guard header.count == 16 else { throw corrupt("no run header") }
        let magic = Array(header[0..<8])
        guard magic == Self.headerMagic || magic == Self.bitPerWordHeaderMagic || magic == Self.unfilteredHeaderMagic
        else { throw corrupt("no run header") }
        let count = Int(truncatingIfNeeded: Self.uint64(header, at: 8))
        guard count >= 0, count <= size / Self.recordSize else {
            throw corrupt("a count of \(count) records in \(size) bytes")
        }
        let fenceCount = (count + Self.recordsPerBlock - 1) / Self.recordsPerBlock
        let fenceOffset = 16 + count * Self.recordSize
        var filterBlocks: Int?
        if magic != Self.unfilteredHeaderMagic {
            let tail = try Self.read(descriptor, path: path, at: max(0, size - 16), count: 16)
            guard tail.count == 16, Array(tail[8...]) == Self.trailerMagic else {
                throw corrupt("\(size) bytes and no run trailer: cut short or overwritten")
            }
            let blocks = Int(truncatingIfNeeded: Self.uint64(tail, at: 0))
            guard blocks >= 1, blocks <= size / RunBloomFilter.bytesPerBlock else {
                throw corrupt("a filter of \(blocks) blocks in \(size) bytes")
            }
            filterBlocks = blocks
        }
        let expected = Self.fileSize(count: count, filterBlocks: filterBlocks)
        guard size == expected else {
            throw corrupt("\(size) bytes, where \(count) records take \(expected)")
        }
        fences = try Self.words(fenceCount, at: fenceOffset, of: descriptor, path: path).map(Self.fencePrefix)
        if filterBlocks == nil {
            let trailer = try Self.read(descriptor, path: path, at: fenceOffset + fenceCount * 8, count: 8)
            guard trailer == Self.trailerMagic else { throw corrupt("no run trailer") }
        }
        filter = nil
        self.filterBlocks = filterBlocks
        filterLayout = magic == Self.bitPerWordHeaderMagic ? .bitPerWord : .fiveBits
        self.path = path
        self.count = count
        self.descriptor = descriptor
        self.fileSize = size
        self.fenceOffset = fenceOffset
        succeeded = true
        if loadingFilter { try loadFilter() }
    }

    /// Reads the Bloom filter into memory, if the run has one and it is not there yet. Call it before the run is
    /// shared between threads, or under a lock all its users took (`RunIndex.run(named:)`).
    func loadFilter() throws {
        guard filter == nil, let filterBlocks else { return }
        let words = try Self.words(filterBlocks * RunBloomFilter.wordsPerBlock, at: filterOffset, of: descriptor, path: path)
        filter = RunBloomFilter(words: words, layout: filterLayout)
    }

    /// Whether the Bloom filter is in memory (or the run has none to load).
    var isFilterLoaded: Bool { filter != nil || filterBlocks == nil }

    /// `count` little-endian words of the file at `offset`, read straight into the array (no byte copy beside it:
    /// a large run's filter is 8 MB).
    private static func words(_ count: Int, at offset: Int, of descriptor: Int32, path: String) throws -> [UInt64] {
        var failed = false
        var words = try [UInt64](unsafeUninitializedCapacity: count) { buffer, initialized in
            let bytes = UnsafeMutableRawBufferPointer(buffer)
            let got = count == 0 ? 0 : try read(descriptor, path: path, at: offset, into: bytes, count: count * 8)
            failed = got != count * 8
            initialized = failed ? 0 : count
        }
        guard !failed else { throw StoreError.corruptIndex(path: path, reason: "the file ends inside its fences") }
        // In place: a copy beside the words read would double a large filter's memory for a moment.
        for index in words.indices { words[index] = UInt64(littleEndian: words[index]) }
        return words
    }

    deinit { close(descriptor) }

    /// Whether `path` still names the file opened, at the size it had.
    var isStillTheFile: Bool {
        var opened = stat(), current = stat()
        return fstat(descriptor, &opened) == 0 && stat(path, &current) == 0 && opened.st_ino == current.st_ino
            && opened.st_dev == current.st_dev && Int(current.st_size) == fileSize
    }

    /// Whether the run may hold records of `key` (false: it certainly holds none).
    @inline(__always)
    func mayContain(_ key: UInt64) -> Bool {
        filter?.mayContain(key) ?? true
    }

    /// The Bloom filter's bytes in memory (none for a run of the first format, or before `loadFilter()`).
    var filterBytes: Int { (filter?.blockCount ?? 0) * RunBloomFilter.bytesPerBlock }

    /// Calls `body` with each record of `key`, in article order.
    /// - Parameter mixed: `RunBloomFilter.mix(key)`, when the caller looks the key up in several runs.
    func forEachRecord(of key: UInt64, mixed: UInt64? = nil, _ body: (RunRecord) -> Void) throws {
        guard let first = fences.first, Self.fencePrefix(key) >= first else { return }
        if let filter, !filter.mayContain(mixed: mixed ?? RunBloomFilter.mix(key)) { return }
        try scanRecords(of: key, body)
    }

    /// Calls `body` with the position in `keys` and each record of every key, key by key, each key's in article
    /// order. The filter is asked about every key before any block is read, after the loads of all their filter
    /// blocks are started: in a large index most are cache misses, which then overlap.
    /// - Parameter mixed: `RunBloomFilter.mix` of each key.
    func forEachRecord(
        ofEach keys: UnsafeBufferPointer<UInt64>, mixed: UnsafeBufferPointer<UInt64>, _ body: (Int, RunRecord) -> Void
    ) throws {
        guard let first = fences.first else { return }
        let filter = self.filter
        try withUnsafeTemporaryAllocation(of: Int.self, capacity: keys.count) { candidates in
            var count = 0
            if let filter {
                for position in keys.indices { filter.prefetch(mixed: mixed[position]) }
            }
            for position in keys.indices where filter?.mayContain(mixed: mixed[position]) ?? true {
                candidates[count] = position
                count += 1
            }
            for position in candidates[..<count] where Self.fencePrefix(keys[position]) >= first {
                try scanRecords(of: keys[position]) { body(position, $0) }
            }
        }
    }

    /// Calls `body` with each record of `key` (which the filter let through), in article order, reading its blocks.
    private func scanRecords(of key: UInt64, _ body: (RunRecord) -> Void) throws {
        let prefix = Self.fencePrefix(key)
        // The last block starting before the key: its records may run on into later blocks (a block starting
        // with the key may follow one that ends with it). A later block is read while its fence's prefix is not
        // above the key's, until a record is.
        let firstBlock = max(0, try firstFence(notBelow: key) - 1)
        try withUnsafeTemporaryAllocation(byteCount: RunBlockCache.slotBytes, alignment: 16) { buffer in
            var block = firstBlock
            blocks: while block < fences.count && (block == firstBlock || fences[block] <= prefix) {
                // Only the records under the key are decoded: most blocks read hold none.
                let start = block * Self.recordsPerBlock
                let count = min(self.count, start + Self.recordsPerBlock) - start
                try readBlock(block, start: start, count: count, into: buffer)
                for index in 0..<count {
                    let recordKey = UInt64(littleEndian: buffer.loadUnaligned(fromByteOffset: index * 16, as: UInt64.self))
                    if recordKey > key { break blocks }
                    if recordKey == key {
                        body(RunRecord(key: key, tagged: UInt64(
                            littleEndian: buffer.loadUnaligned(fromByteOffset: index * 16 + 8, as: UInt64.self))))
                    }
                }
                block += 1
            }
        }
    }

    /// The index of the first fence at or above `key` (`fences.count` if none): found among the prefixes, then,
    /// only if fences share the key's prefix (keys that are hashes almost never do), among those fences' keys in
    /// the file.
    private func firstFence(notBelow key: UInt64) throws -> Int {
        let prefix = Self.fencePrefix(key)
        var low = Self.firstFence(notBelow: prefix, in: fences)
        guard low < fences.count, fences[low] == prefix else { return low }
        var high = prefix == .max ? fences.count : Self.firstFence(notBelow: prefix + 1, in: fences)
        while low < high {
            let middle = (low + high) / 2
            if try fenceKey(middle) < key { low = middle + 1 } else { high = middle }
        }
        return low
    }

    /// The whole key of a fence, read from the file.
    private func fenceKey(_ index: Int) throws -> UInt64 {
        var key: UInt64 = 0
        let got = try withUnsafeMutableBytes(of: &key) { bytes in
            try Self.read(descriptor, path: path, at: fenceOffset + index * 8, into: bytes, count: 8)
        }
        guard got == 8 else { throw StoreError.corruptIndex(path: path, reason: "the file ends inside its fences") }
        return UInt64(littleEndian: key)
    }

    /// What a run keeps in memory of a fence key: its high 32 bits.
    @inline(__always)
    static func fencePrefix(_ key: UInt64) -> UInt32 { UInt32(truncatingIfNeeded: key >> 32) }

    /// The index of the first fence at or above `key` (`fences.count` if none). Keys are uniform hashes, so the
    /// search starts where the key's value says it should be and widens from there: a few probes, where a binary
    /// search of a large run's fences took twenty, most of them cache misses.
    static func firstFence(notBelow key: UInt32, in fences: [UInt32]) -> Int {
        fences.withUnsafeBufferPointer { fences in
            let count = fences.count
            var low = 0, high = count  // the answer is in low...high
            let guess = min(count - 1, Int((UInt64(key) &* UInt64(count)) >> 32))
            var step = 1
            if fences[guess] < key {
                low = guess + 1
                while low + step - 1 < count && fences[low + step - 1] < key {
                    low += step
                    step *= 2
                }
                high = min(count, low + step - 1)
            } else {
                high = guess
                while high - step >= 0 && fences[high - step] >= key {
                    high -= step
                    step *= 2
                }
                low = max(0, high - step + 1)
            }
            while low < high {
                let middle = (low + high) / 2
                if fences[middle] < key { low = middle + 1 } else { high = middle }
            }
            return low
        }
    }

    /// Reads the `count` records of a block, from the cache or the file, into `buffer`.
    private func readBlock(_ block: Int, start: Int, count: Int, into buffer: UnsafeMutableRawBufferPointer) throws {
        let length = count * Self.recordSize
        if let cache, cache.copyBlock(block, ofRun: serial, into: buffer) == length { return }
        let got = try Self.read(descriptor, path: path, at: 16 + start * Self.recordSize, into: buffer, count: length)
        guard got == length else {
            throw StoreError.corruptIndex(path: path, reason: "the file ends inside block \(block)")
        }
        cache?.remember(UnsafeRawBufferPointer(rebasing: buffer[..<length]), block: block, ofRun: serial)
    }

    /// The records of `key`, in article order.
    func records(of key: UInt64) throws -> [RunRecord] {
        var found: [RunRecord] = []
        try forEachRecord(of: key) { found.append($0) }
        return found
    }

    /// `count` records from the `start`-th.
    func records(from start: Int, count: Int) throws -> [RunRecord] {
        guard count > 0 else { return [] }
        let bytes = try Self.read(descriptor, path: path, at: 16 + start * Self.recordSize, count: count * Self.recordSize)
        return try Self.decode(bytes, count: count, path: path, start: start)
    }

    private static func decode(_ bytes: [UInt8], count: Int, path: String, start: Int) throws -> [RunRecord] {
        guard bytes.count == count * recordSize else {
            throw StoreError.corruptIndex(path: path, reason: "the file ends inside record \(start + bytes.count / 16)")
        }
        return bytes.withUnsafeBytes { raw in
            (0..<count).map { index in
                RunRecord(
                    key: UInt64(littleEndian: raw.loadUnaligned(fromByteOffset: index * 16, as: UInt64.self)),
                    tagged: UInt64(littleEndian: raw.loadUnaligned(fromByteOffset: index * 16 + 8, as: UInt64.self)))
            }
        }
    }

    /// Every record in order, a block at a time (for merging runs without holding them in memory).
    struct Cursor {
        let run: SortedRun
        private var buffer: [RunRecord] = []
        private var position = 0
        private var nextRecord = 0
        static let chunk = 4096

        init(_ run: SortedRun) { self.run = run }

        mutating func peek() throws -> RunRecord? {
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
        bytes.withUnsafeBytes { UInt64(littleEndian: $0.loadUnaligned(fromByteOffset: offset, as: UInt64.self)) }
    }

    /// Reads up to `count` bytes at `offset` into `buffer`; returns how many (fewer only at the end of the file).
    static func read(
        _ descriptor: Int32, path: String, at offset: Int, into buffer: UnsafeMutableRawBufferPointer, count: Int
    ) throws -> Int {
        var got = 0
        while got < count {
            let read = pread(descriptor, buffer.baseAddress! + got, count - got, off_t(offset + got))
            if read < 0 {
                if errno == EINTR { continue }
                throw StoreError.io(path: path, operation: "read", errno: errno)
            }
            if read == 0 { break }
            got += read
        }
        return got
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
