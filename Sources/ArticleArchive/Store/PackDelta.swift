#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif

/// Git's pack delta format: the sizes of the base and of the result, then instructions that copy a range of the
/// base or insert literal bytes.
///
/// A cleaned text is its raw body with lines left out, so it is stored as a delta against the raw body in the same
/// pack: a few copy instructions instead of a second compressed copy of the same sentences.
enum PackDelta {
    /// Copies shorter than this are inserted instead: a copy instruction takes up to 8 bytes.
    static let minimumCopy = 8

    /// A delta that rebuilds `target` from `base`, copying every line of the target found in the base (runs of
    /// consecutive lines become one copy) and inserting the rest.
    static func make(base: [UInt8], target: [UInt8]) -> [UInt8] {
        base.withUnsafeBufferPointer { base in target.withUnsafeBufferPointer { target in make(base, target) } }
    }

    private static func make(_ base: UnsafeBufferPointer<UInt8>, _ target: UnsafeBufferPointer<UInt8>) -> [UInt8] {
        // Lines are indexed by their text without the newline, so a target's last line, which has none, still
        // matches the same line of the base.
        var lineOfBase = FirstLineTable(lines: base.count / 16 + 1)  // a line's text -> where it first starts
        forEachLine(base) { start, end in
            lineOfBase.insertIfAbsent(hash(base, start, contentEnd(base, start, end)), start)
        }
        var delta: [UInt8] = []
        delta.reserveCapacity(64)
        appendSize(base.count, to: &delta)
        appendSize(target.count, to: &delta)
        var copyStart = 0
        var copyLength = 0
        var pendingInsert = 0..<0
        func flushCopy() {
            guard copyLength > 0 else { return }
            appendCopy(offset: copyStart, length: copyLength, to: &delta)
            copyLength = 0
        }
        func flushInsert() {
            guard !pendingInsert.isEmpty else { return }
            appendInsert(target, pendingInsert, to: &delta)
            pendingInsert = pendingInsert.upperBound..<pendingInsert.upperBound
        }
        forEachLine(target) { start, end in
            let length = end - start
            let next = copyStart + copyLength
            func matches(_ at: Int) -> Bool {
                at + length <= base.count && memcmp(base.baseAddress! + at, target.baseAddress! + start, length) == 0
            }
            // The base's next line continues the copy when it is this one (a repeated line included); else the
            // line's first place in the base.
            let match = copyLength > 0 && matches(next)
                ? next : lineOfBase.value(of: hash(target, start, contentEnd(target, start, end))).flatMap {
                    matches($0) ? $0 : nil
                }
            if let match, match == next, copyLength > 0 {
                copyLength += length
            } else if let match, length >= minimumCopy {
                flushCopy()
                flushInsert()
                copyStart = match
                copyLength = length
            } else {
                flushCopy()
                pendingInsert = (pendingInsert.isEmpty ? start : pendingInsert.lowerBound)..<end
            }
        }
        flushCopy()
        flushInsert()
        return delta
    }

    /// A delta that rebuilds `target` from ranges of `base` already known to be in it: each piece says that the
    /// target's bytes from `targetOffset` on are the base's bytes in `base`, pieces in target order. What lies
    /// between pieces is inserted, or joins the copies around it when the base has the same bytes there. This is
    /// how a cleaner that knows which lines it kept saves the work of finding them again (`make(base:target:)`).
    /// - Returns: the delta, or `nil` when a piece is out of bounds, out of order or not what the target holds.
    static func make(
        base: [UInt8], target: [UInt8], pieces: [(base: Range<Int>, targetOffset: Int)]
    ) -> [UInt8]? {
        base.withUnsafeBufferPointer { base in
            target.withUnsafeBufferPointer { target in make(base, target, pieces: pieces) }
        }
    }

    private static func make(
        _ base: UnsafeBufferPointer<UInt8>, _ target: UnsafeBufferPointer<UInt8>,
        pieces: [(base: Range<Int>, targetOffset: Int)]
    ) -> [UInt8]? {
        func same(_ baseStart: Int, _ targetStart: Int, _ length: Int) -> Bool {
            length == 0 || memcmp(base.baseAddress! + baseStart, target.baseAddress! + targetStart, length) == 0
        }
        var delta: [UInt8] = []
        delta.reserveCapacity(16 + 4 * pieces.count)
        appendSize(base.count, to: &delta)
        appendSize(target.count, to: &delta)
        var copyStart = 0
        var copyLength = 0
        var insertStart = 0  // target bytes from here to `done` are still to be inserted, when no copy is open
        var done = 0  // target bytes accounted for
        for piece in pieces {
            let length = piece.base.count
            guard piece.base.lowerBound >= 0, piece.base.upperBound <= base.count, piece.targetOffset >= done,
                  piece.targetOffset + length <= target.count, same(piece.base.lowerBound, piece.targetOffset, length)
            else { return nil }
            let gap = piece.targetOffset - done
            defer { done = piece.targetOffset + length }
            if copyLength > 0 {
                let next = copyStart + copyLength
                if next + gap == piece.base.lowerBound, same(next, done, gap) {
                    copyLength += gap + length
                    continue
                }
                // The open copy takes as much of the gap as the base has after it (the line break before a
                // dropped line); the rest is inserted.
                var common = 0
                while common < gap, next + common < base.count, base[next + common] == target[done + common] {
                    common += 1
                }
                appendCopy(offset: copyStart, length: copyLength + common, to: &delta)
                copyLength = 0
                insertStart = done + common
            }
            if length >= minimumCopy {
                appendInsert(target, insertStart..<piece.targetOffset, to: &delta)
                copyStart = piece.base.lowerBound
                copyLength = length
            }
        }
        if copyLength > 0 {
            appendCopy(offset: copyStart, length: copyLength, to: &delta)
            insertStart = done
        }
        appendInsert(target, insertStart..<target.count, to: &delta)
        return delta
    }

    private static func appendInsert(_ target: UnsafeBufferPointer<UInt8>, _ range: Range<Int>, to delta: inout [UInt8]) {
        var from = range.lowerBound
        while from < range.upperBound {
            let count = min(127, range.upperBound - from)
            delta.append(UInt8(count))
            delta.append(contentsOf: UnsafeBufferPointer(rebasing: target[from..<(from + count)]))
            from += count
        }
    }

    /// Line hash -> the first offset stored under it, in an open-addressing table.
    private struct FirstLineTable {
        private var keys: [UInt64]
        private var values: [Int]

        init(lines: Int) {
            var size = 16
            while size < lines * 2 { size <<= 1 }
            keys = [UInt64](repeating: 0, count: size)
            values = [Int](repeating: -1, count: size)
        }

        private func slot(_ key: UInt64) -> Int { Int(truncatingIfNeeded: (key &* 0x9E37_79B9_7F4A_7C15) >> 40) & (keys.count - 1) }

        mutating func insertIfAbsent(_ key: UInt64, _ value: Int) {
            if values.count / 2 <= count { grow() }
            var index = slot(key)
            while values[index] >= 0 {
                if keys[index] == key { return }
                index = (index + 1) & (keys.count - 1)
            }
            keys[index] = key
            values[index] = value
            count += 1
        }

        func value(of key: UInt64) -> Int? {
            var index = slot(key)
            while values[index] >= 0 {
                if keys[index] == key { return values[index] }
                index = (index + 1) & (keys.count - 1)
            }
            return nil
        }

        private var count = 0

        private mutating func grow() {
            let old = zip(keys, values).filter { $0.1 >= 0 }
            keys = [UInt64](repeating: 0, count: keys.count * 2)
            values = [Int](repeating: -1, count: values.count * 2)
            count = 0
            for (key, value) in old { insertIfAbsent(key, value) }
        }
    }

    /// The end of a line's text: before its newline, if it has one.
    private static func contentEnd(_ bytes: UnsafeBufferPointer<UInt8>, _ start: Int, _ end: Int) -> Int {
        end > start && bytes[end - 1] == UInt8(ascii: "\n") ? end - 1 : end
    }

    /// Rebuilds the result of `delta` from `base`.
    /// - Throws: `PackDelta.Malformed` when the delta does not fit the base or is damaged.
    static func apply(_ delta: [UInt8], to base: [UInt8]) throws -> [UInt8] {
        var index = 0
        guard let baseSize = readSize(delta, &index), baseSize == base.count else {
            throw Malformed(reason: "the delta is for a base of another size")
        }
        guard let targetSize = readSize(delta, &index) else { throw Malformed(reason: "no result size") }
        var result: [UInt8] = []
        result.reserveCapacity(targetSize)
        while index < delta.count {
            let instruction = delta[index]
            index += 1
            if instruction & 0x80 != 0 {
                var offset = 0
                var size = 0
                for bit in 0..<4 where instruction & (1 << bit) != 0 {
                    guard index < delta.count else { throw Malformed(reason: "a copy instruction is cut short") }
                    offset |= Int(delta[index]) << (8 * bit)
                    index += 1
                }
                for bit in 0..<3 where instruction & (0x10 << bit) != 0 {
                    guard index < delta.count else { throw Malformed(reason: "a copy instruction is cut short") }
                    size |= Int(delta[index]) << (8 * bit)
                    index += 1
                }
                if size == 0 { size = 0x10000 }
                guard offset + size <= base.count else { throw Malformed(reason: "a copy reaches past the base") }
                result.append(contentsOf: base[offset..<(offset + size)])
            } else if instruction != 0 {
                let count = Int(instruction)
                guard index + count <= delta.count else { throw Malformed(reason: "an insert is cut short") }
                result.append(contentsOf: delta[index..<(index + count)])
                index += count
            } else {
                throw Malformed(reason: "instruction 0 is reserved")
            }
            guard result.count <= targetSize else { throw Malformed(reason: "the result outgrows its size") }
        }
        guard result.count == targetSize else { throw Malformed(reason: "the result is shorter than its size") }
        return result
    }

    /// Why a delta could not be applied.
    struct Malformed: Error, CustomStringConvertible {
        let reason: String
        var description: String { "malformed delta: \(reason)" }
    }

    // MARK: - Encoding

    private static func forEachLine(_ bytes: UnsafeBufferPointer<UInt8>, _ body: (Int, Int) -> Void) {
        var start = 0
        for index in 0..<bytes.count where bytes[index] == UInt8(ascii: "\n") {
            body(start, index + 1)
            start = index + 1
        }
        if start < bytes.count { body(start, bytes.count) }
    }

    private static func hash(_ bytes: UnsafeBufferPointer<UInt8>, _ start: Int, _ end: Int) -> UInt64 {
        var hash: UInt64 = 0xcbf2_9ce4_8422_2325
        for index in start..<end { hash = (hash ^ UInt64(bytes[index])) &* 0x0000_0100_0000_01b3 }
        return hash
    }

    private static func appendSize(_ size: Int, to delta: inout [UInt8]) {
        var remaining = size
        repeat {
            let byte = UInt8(remaining & 0x7f)
            remaining >>= 7
            delta.append(remaining > 0 ? byte | 0x80 : byte)
        } while remaining > 0
    }

    private static func readSize(_ delta: [UInt8], _ index: inout Int) -> Int? {
        var size = 0
        var shift = 0
        while index < delta.count, shift < 63 {
            let byte = delta[index]
            index += 1
            size |= Int(byte & 0x7f) << shift
            shift += 7
            if byte & 0x80 == 0 { return size }
        }
        return nil
    }

    private static func appendCopy(offset: Int, length: Int, to delta: inout [UInt8]) {
        var done = 0
        while done < length {
            let size = min(0xFF_FFFF, length - done)
            let from = offset + done
            var instruction: UInt8 = 0x80
            var operands: [UInt8] = []
            for bit in 0..<4 where (from >> (8 * bit)) & 0xff != 0 {
                instruction |= 1 << bit
                operands.append(UInt8((from >> (8 * bit)) & 0xff))
            }
            for bit in 0..<3 where (size >> (8 * bit)) & 0xff != 0 {
                instruction |= 0x10 << bit
                operands.append(UInt8((size >> (8 * bit)) & 0xff))
            }
            delta.append(instruction)
            delta.append(contentsOf: operands)
            done += size
        }
    }
}
