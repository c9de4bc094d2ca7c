#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif

/// A failure of the object store, naming the object or file involved.
public enum StoreError: Error, Equatable, CustomStringConvertible {
    /// No object file exists for the id.
    case missingObject(ObjectID, path: String)
    /// The object file exists but cannot be inflated or parsed.
    case corruptObject(ObjectID, path: String, reason: String)
    /// The object inflates, but its content hashes to another id.
    case hashMismatch(ObjectID, path: String, actual: ObjectID)
    /// A file of the near-duplicate index cannot be parsed (it is derived data: the index is rebuilt).
    case corruptIndex(path: String, reason: String)
    /// A file-system call failed.
    case io(path: String, operation: String, errno: Int32)
    /// The folder is not an archive and cannot become one.
    case notAnArchive(path: String, reason: String)

    public var description: String {
        switch self {
        case .missingObject(let id, let path):
            "object \(id) is missing (expected at \(path))"
        case .corruptObject(let id, let path, let reason):
            "object \(id) is corrupt (\(path)): \(reason)"
        case .hashMismatch(let id, let path, let actual):
            "object \(id) is corrupt (\(path)): its content hashes to \(actual)"
        case .corruptIndex(let path, let reason):
            "index file \(path) is corrupt: \(reason)"
        case .io(let path, let operation, let code):
            "\(operation) \(path) failed: \(String(cString: strerror(code)))"
        case .notAnArchive(let path, let reason):
            "\(path) is not an archive: \(reason)"
        }
    }

    /// The object the error is about, if any.
    public var objectID: ObjectID? {
        switch self {
        case .missingObject(let id, _), .corruptObject(let id, _, _), .hashMismatch(let id, _, _): id
        case .io, .notAnArchive, .corruptIndex: nil
        }
    }
}
