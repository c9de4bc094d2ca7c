#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif

/// Writes a run from records given in order, through a buffer, and makes it durable under its final name.
final class SortedRunWriter {
    let path: String
    private let temporaryPath: String
    private var descriptor: Int32
    private var buffer: [UInt8] = []
    private var fences: [UInt64] = []
    private var last: RunRecord?
    private(set) var count = 0

    init(path: String) throws {
        self.path = path
        temporaryPath = path + ".tmp"
        descriptor = open(temporaryPath, O_WRONLY | O_CREAT | O_TRUNC | O_CLOEXEC, 0o644)
        guard descriptor >= 0 else { throw StoreError.io(path: temporaryPath, operation: "create", errno: errno) }
        buffer.reserveCapacity(1 << 20)
        buffer += SortedRun.headerMagic
        buffer += [UInt8](repeating: 0, count: 8)
    }

    func append(_ record: RunRecord) throws {
        if let last { precondition(RunRecord.precedes(last, record), "run records out of order") }
        last = record
        if count % SortedRun.recordsPerBlock == 0 { fences.append(record.key) }
        Self.append(record.key, to: &buffer)
        Self.append(record.tagged, to: &buffer)
        count += 1
        if buffer.count >= 1 << 20 { try flush() }
    }

    /// Writes the fences and the count, fsyncs, and renames the file into place (the caller syncs the folder).
    func finish() throws {
        for fence in fences { Self.append(fence, to: &buffer) }
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
