/// A fixed number of slots, each filled and emptied by index, by one thread at a time: a batch's values move from
/// the thread that makes them to the one that uses them without being copied. A copy of a struct retains each of
/// its strings and arrays, and releases them again when the original goes; moving it does neither.
///
/// Whatever is still in a slot is released with the slots.
final class OnceSlots<Element>: @unchecked Sendable {
    /// The number of slots.
    let count: Int
    // Two threads never touch the same slot at once: each index is filled by one piece of work and taken by one
    // later piece, and the work that hands a slot from one to the other orders them.
    private let values: UnsafeMutablePointer<Element>
    private let filled: UnsafeMutablePointer<Bool>

    /// Creates `count` empty slots.
    init(count: Int) {
        self.count = count
        values = .allocate(capacity: max(count, 1))
        filled = .allocate(capacity: max(count, 1))
        filled.initialize(repeating: false, count: count)
    }

    deinit {
        for index in 0..<count where filled[index] { (values + index).deinitialize(count: 1) }
        values.deallocate()
        filled.deinitialize(count: count)
        filled.deallocate()
    }

    /// Puts `value` in the empty slot `index`.
    func fill(_ index: Int, with value: consuming Element) {
        precondition(!filled[index], "slot \(index) is filled already")
        (values + index).initialize(to: value)
        filled[index] = true
    }

    /// The value in slot `index`, moved out: the slot is empty after.
    func take(_ index: Int) -> Element {
        precondition(filled[index], "slot \(index) is empty")
        filled[index] = false
        return (values + index).move()
    }

    /// Calls `body` with the value in slot `index`, borrowed: it stays in the slot.
    func peek<Result>(_ index: Int, _ body: (Element) throws -> Result) rethrows -> Result {
        precondition(filled[index], "slot \(index) is empty")
        return try body(values[index])
    }
}
