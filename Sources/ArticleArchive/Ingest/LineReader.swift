import Foundation

/// Reads a file or standard input line by line in fixed-size chunks, so memory is bounded by the longest
/// allowed line, not by the input.
final class LineReader {
    /// One line of input.
    enum Line {
        /// The line's bytes without the terminator (`\n` or `\r\n`).
        case text(ArraySlice<UInt8>)
        /// A line longer than the limit; its bytes were skipped, not kept.
        case tooLong(bytes: Int)
    }

    private let handle: FileHandle
    private let chunkSize: Int
    private let maximumLineBytes: Int
    private var buffer: [UInt8] = []
    private var start = 0
    private var atEnd = false
    /// The 1-based number of the line last returned.
    private(set) var lineNumber = 0

    init(handle: FileHandle, maximumLineBytes: Int, chunkSize: Int = 1 << 20) {
        self.handle = handle
        self.maximumLineBytes = maximumLineBytes
        self.chunkSize = chunkSize
    }

    /// The next line, or `nil` at the end of the input.
    func nextLine() throws -> Line? {
        var searchFrom = start
        var skipped = 0
        while true {
            if let newline = buffer[searchFrom...].firstIndex(of: UInt8(ascii: "\n")) {
                defer { start = newline + 1 }
                lineNumber += 1
                if skipped > 0 { return .tooLong(bytes: skipped + newline - start) }
                var end = newline
                if end > start && buffer[end - 1] == UInt8(ascii: "\r") { end -= 1 }
                return .text(buffer[start..<end])
            }
            if atEnd {
                guard start < buffer.count || skipped > 0 else { return nil }
                defer { start = buffer.count }
                lineNumber += 1
                if skipped > 0 { return .tooLong(bytes: skipped + buffer.count - start) }
                var end = buffer.count
                if buffer[end - 1] == UInt8(ascii: "\r") { end -= 1 }
                return .text(buffer[start..<end])
            }
            if buffer.count - start > maximumLineBytes {
                skipped += buffer.count - start
                start = buffer.count
            }
            if start > 0 {
                buffer.removeSubrange(0..<start)
                start = 0
            }
            searchFrom = buffer.count
            let chunk = try handle.read(upToCount: chunkSize) ?? Data()
            if chunk.isEmpty { atEnd = true } else { buffer.append(contentsOf: chunk) }
        }
    }
}
