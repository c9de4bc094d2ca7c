/// What `verify` found.
public struct VerificationReport: Codable, Sendable, Equatable {
    /// One damaged object and who depends on it.
    public struct DamagedObject: Codable, Sendable, Equatable {
        /// The object's id.
        public var object: ObjectID
        /// What is wrong: missing, corrupt, hash mismatch, wrong length.
        public var problem: String
        /// The versions that refer to it, as `key vN raw|cleaned`.
        public var referencedBy: [String]

        enum CodingKeys: String, CodingKey {
            case object, problem
            case referencedBy = "referenced_by"
        }
    }

    /// Objects listed in the catalog and checked.
    public var objectsChecked = 0
    /// Objects that are missing or do not hash to their id.
    public var damagedObjects: [DamagedObject] = []
    /// Problems in the catalog itself: corruption, rows that refer to nothing.
    public var catalogProblems: [String] = []
    /// Object files no catalog row lists (left by an interrupted ingest; harmless).
    public var unreferencedObjects = 0
    /// Packs no catalog row refers to (written by an ingest that never committed; harmless).
    public var unreferencedPacks = 0
    /// What `--repair` re-derived.
    public var repaired: [String] = []
    /// Damage `--repair` could not undo, and why.
    public var unrepairable: [String] = []

    /// Whether nothing is damaged.
    public var isHealthy: Bool { damagedObjects.isEmpty && catalogProblems.isEmpty }

    enum CodingKeys: String, CodingKey {
        case objectsChecked = "objects_checked"
        case damagedObjects = "damaged_objects"
        case catalogProblems = "catalog_problems"
        case unreferencedObjects = "unreferenced_objects"
        case unreferencedPacks = "unreferenced_packs"
        case repaired, unrepairable
    }
}
