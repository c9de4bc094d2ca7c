/// A value handed to another thread whole: taken there once, so that thread holds the only reference to its
/// arrays and changes them in place, where a closure's captured copy would have them copied on the first change.
final class Handover<Value: Sendable>: @unchecked Sendable {
    // Set by the thread that makes the handover, taken by the one that receives it, never by both at once.
    private var value: Value?

    init(_ value: consuming Value) {
        self.value = value
    }

    /// The value; a second take is a programming error.
    func take() -> Value {
        guard let value else { preconditionFailure("a handover is taken once") }
        self.value = nil
        return value
    }
}
