/// Deterministic texts for similarity tests: sentences of words drawn from a large vocabulary, so two texts share
/// shingles only where one was made from the other.
struct TextMaker {
    private var state: UInt64

    init(seed: UInt64) {
        state = seed &* 0x9E37_79B9_7F4A_7C15 | 1
    }

    mutating func next(_ bound: Int) -> Int {
        state ^= state << 13
        state ^= state >> 7
        state ^= state << 17
        return Int(state % UInt64(bound))
    }

    mutating func word() -> String {
        let syllables = ["ka", "lo", "mi", "ren", "to", "sa", "vel", "ur", "ni", "po", "da", "gre", "shu", "fen"]
        return (0..<(2 + next(2))).map { _ in syllables[next(syllables.count)] }.joined()
    }

    /// `count` sentences of 12 words each, one sentence per paragraph.
    mutating func paragraphs(_ count: Int) -> [String] {
        (0..<count).map { _ in
            let words = (0..<12).map { _ in word() }
            return words.joined(separator: " ").prefix(1).uppercased() + words.joined(separator: " ").dropFirst() + "."
        }
    }
}
