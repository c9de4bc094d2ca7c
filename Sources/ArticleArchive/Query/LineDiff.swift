/// A line diff between two texts (Myers' O(ND) algorithm), printable as a unified diff.
public struct LineDiff: Sendable, Equatable {
    /// One line of the edit script.
    public enum Line: Sendable, Equatable {
        case same(String)
        case removed(String)
        case added(String)
    }

    /// The edit script turning the old text into the new one.
    public let lines: [Line]

    /// Diffs `old` against `new`, line by line.
    public init(old: String, new: String) {
        lines = Self.editScript(Self.split(old), Self.split(new))
    }

    /// Whether the texts are equal.
    public var isEmpty: Bool { lines.allSatisfy { if case .same = $0 { true } else { false } } }

    /// Lines removed and added.
    public var counts: (removed: Int, added: Int) {
        lines.reduce(into: (0, 0)) { counts, line in
            switch line {
            case .removed: counts.0 += 1
            case .added: counts.1 += 1
            case .same: break
            }
        }
    }

    /// The diff in unified format with `context` lines around each change.
    public func unified(oldName: String, newName: String, context: Int = 3) -> String {
        guard !isEmpty else { return "" }
        var output = "--- \(oldName)\n+++ \(newName)\n"
        var oldLine = 1
        var newLine = 1
        var index = 0
        let changed = lines.indices.filter { if case .same = lines[$0] { false } else { true } }
        var hunkStarts: [(Int, Int)] = []  // (start, end) ranges of the script in each hunk
        for position in changed {
            let start = max(0, position - context)
            let end = min(lines.count, position + context + 1)
            if let last = hunkStarts.last, start <= last.1 {
                hunkStarts[hunkStarts.count - 1].1 = end
            } else {
                hunkStarts.append((start, end))
            }
        }
        for (start, end) in hunkStarts {
            while index < start {
                switch lines[index] {
                case .same: oldLine += 1; newLine += 1
                case .removed: oldLine += 1
                case .added: newLine += 1
                }
                index += 1
            }
            let slice = lines[start..<end]
            let oldCount = slice.filter { if case .added = $0 { false } else { true } }.count
            let newCount = slice.filter { if case .removed = $0 { false } else { true } }.count
            output += "@@ -\(oldCount == 0 ? oldLine - 1 : oldLine),\(oldCount) "
                + "+\(newCount == 0 ? newLine - 1 : newLine),\(newCount) @@\n"
            for line in slice {
                switch line {
                case .same(let text): output += " \(text)\n"; oldLine += 1; newLine += 1
                case .removed(let text): output += "-\(text)\n"; oldLine += 1
                case .added(let text): output += "+\(text)\n"; newLine += 1
                }
            }
            index = end
        }
        return output
    }

    private static func split(_ text: String) -> [String] {
        guard !text.isEmpty else { return [] }
        var lines = text.split(separator: "\n", omittingEmptySubsequences: false).map(String.init)
        if lines.last == "" { lines.removeLast() }
        return lines
    }

    private static func editScript(_ old: [String], _ new: [String]) -> [Line] {
        let n = old.count
        let m = new.count
        let maximum = n + m
        guard maximum > 0 else { return [] }
        let offset = maximum
        var frontier = [Int](repeating: 0, count: 2 * maximum + 2)
        var trace: [[Int]] = []
        search: for d in 0...maximum {
            trace.append(frontier)
            for k in stride(from: -d, through: d, by: 2) {
                var x: Int
                if k == -d || (k != d && frontier[offset + k - 1] < frontier[offset + k + 1]) {
                    x = frontier[offset + k + 1]
                } else {
                    x = frontier[offset + k - 1] + 1
                }
                var y = x - k
                while x < n && y < m && old[x] == new[y] {
                    x += 1
                    y += 1
                }
                frontier[offset + k] = x
                if x >= n && y >= m { break search }
            }
        }
        var script: [Line] = []
        var x = n
        var y = m
        for d in stride(from: trace.count - 1, through: 0, by: -1) {
            let previous = trace[d]
            let k = x - y
            let previousK: Int
            if k == -d || (k != d && previous[offset + k - 1] < previous[offset + k + 1]) {
                previousK = k + 1
            } else {
                previousK = k - 1
            }
            let previousX = previous[offset + previousK]
            let previousY = previousX - previousK
            while x > previousX && y > previousY {
                script.append(.same(old[x - 1]))
                x -= 1
                y -= 1
            }
            if d > 0 {
                if x == previousX {
                    script.append(.added(new[y - 1]))
                } else {
                    script.append(.removed(old[x - 1]))
                }
            }
            x = previousX
            y = previousY
        }
        return script.reversed()
    }
}
