/// Where a packed object lives: a pack file of the store and the offset of its entry.
public struct ObjectLocation: Sendable, Equatable {
    /// The pack's name, `pack-<64 hex digits>` (the files are `objects/pack/<name>.pack` and `.idx`).
    public let pack: String
    /// The offset of the object's entry in the `.pack` file.
    public let offset: Int
    /// The length of the entry (its header and its zlib stream).
    public let length: Int
}

/// Finds the pack location of objects that are not loose files (the catalog knows them).
protocol ObjectLocating: Sendable {
    func location(of id: ObjectID) throws -> ObjectLocation?
}
