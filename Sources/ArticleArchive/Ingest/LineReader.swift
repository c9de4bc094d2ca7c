#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif
import Foundation

/// Reads a file or standard input line by line in fixed-size chunks, so memory is bounded by the longest
/// allowed line, not by the input.
///
/// Chunks are read straight into one buffer, which is reused and grows only to hold the longest line, and lines
/// are found with `memchr`.
final class LineReader {
    /// One line of input.
    enum Line {
        /// The line's bytes without the terminator (`\n` or `\r\n`).
        case text([UInt8])
        /// A line longer than the limit; its bytes were skipped, not kept.
        case tooLong(bytes: Int)
    }

    private let handle: FileHandle
    private let chunkSize: Int
    private let maximumLineBytes: Int
    private var buffer: UnsafeMutablePointer<UInt8>
    private var capacity: Int
    /// The unread bytes are `buffer[start..<end]`.
    private var start = 0
    private var end = 0
    private var atEnd = false
    /// The 1-based number of the line last returned.
    private(set) var lineNumber = 0

    init(handle: FileHandle, maximumLineBytes: Int, chunkSize: Int = 1 << 20) {
        self.handle = handle
        self.maximumLineBytes = maximumLineBytes
        self.chunkSize = max(1, chunkSize)
        capacity = 2 * self.chunkSize
        buffer = .allocate(capacity: capacity)
    }

    deinit {
        buffer.deallocate()
    }

    /// The next line, or `nil` at the end of the input.
    func nextLine() throws -> Line? {
        var searchFrom = start
        var skipped = 0
        while true {
            if searchFrom < end, let found = memchr(buffer + searchFrom, 0x0A, end - searchFrom) {
                let newline = buffer.distance(to: found.assumingMemoryBound(to: UInt8.self))
                defer { start = newline + 1 }
                lineNumber += 1
                if skipped > 0 { return .tooLong(bytes: skipped + newline - start) }
                return .text(bytes(start, withoutCarriageReturn: newline))
            }
            if atEnd {
                guard start < end || skipped > 0 else { return nil }
                defer { start = end }
                lineNumber += 1
                if skipped > 0 { return .tooLong(bytes: skipped + end - start) }
                return .text(bytes(start, withoutCarriageReturn: end))
            }
            if end - start > maximumLineBytes {
                skipped += end - start
                start = end
            }
            searchFrom = try readChunk()
        }
    }

    private func bytes(_ lower: Int, withoutCarriageReturn upper: Int) -> [UInt8] {
        var upper = upper
        if upper > lower && buffer[upper - 1] == 0x0D { upper -= 1 }
        return Array(UnsafeBufferPointer(start: buffer + lower, count: upper - lower))
    }

    /// Reads the next chunk after the unread bytes (moved to the front first); returns where the new bytes start.
    private func readChunk() throws -> Int {
        if start > 0 {
            buffer.update(from: buffer + start, count: end - start)
            end -= start
            start = 0
        }
        if capacity - end < chunkSize {
            let grown = UnsafeMutablePointer<UInt8>.allocate(capacity: end + chunkSize)
            grown.update(from: buffer, count: end)
            buffer.deallocate()
            buffer = grown
            capacity = end + chunkSize
        }
        let descriptor = handle.fileDescriptor
        while true {
            let count = read(descriptor, buffer + end, chunkSize)
            if count > 0 {
                end += count
                return end - count
            }
            if count == 0 {
                atEnd = true
                return end
            }
            if errno != EINTR { throw POSIXError(POSIXErrorCode(rawValue: errno) ?? .EIO) }
        }
    }
}
