/// One story: the articles whose latest versions are near-duplicates of the cluster's representative.
public struct ArticleCluster: Encodable, Sendable, Equatable {
    /// A cluster member, with its similarity to the representative.
    public struct Member: Encodable, Sendable, Equatable {
        public var key: String
        public var url: String?
        public var source: String?
        public var title: String?
        /// Jaccard similarity to the representative's shingles (1 for the representative itself).
        public var similarity: Double
        /// Share of this member's shingles found in the representative (or the reverse, for the smaller one).
        public var containment: Double
        /// Whether the member is an excerpt of the representative: highly contained, not similar in full.
        public var excerpt: Bool

        public func encode(to encoder: any Encoder) throws {
            // Absent values are written as null, so every member has every field.
            var container = encoder.container(keyedBy: CodingKeys.self)
            try container.encode(key, forKey: .key)
            try container.encode(url, forKey: .url)
            try container.encode(source, forKey: .source)
            try container.encode(title, forKey: .title)
            try container.encode(similarity, forKey: .similarity)
            try container.encode(containment, forKey: .containment)
            try container.encode(excerpt, forKey: .excerpt)
        }

        enum CodingKeys: String, CodingKey { case key, url, source, title, similarity, containment, excerpt }
    }

    /// The cluster's number in this listing (1 is the cluster whose representative arrived first).
    public var id: Int
    /// Members, the representative included.
    public var size: Int { members.count }
    /// The member that arrived first.
    public var representative: Member
    /// All members, the representative first, then by similarity.
    public var members: [Member]

    enum CodingKeys: String, CodingKey {
        case id, size, representative, members
    }

    public func encode(to encoder: any Encoder) throws {
        var container = encoder.container(keyedBy: CodingKeys.self)
        try container.encode(id, forKey: .id)
        try container.encode(size, forKey: .size)
        try container.encode(representative, forKey: .representative)
        try container.encode(members, forKey: .members)
    }

    init(id: Int, representative: Member, members: [Member]) {
        self.id = id
        self.representative = representative
        self.members = members
    }
}
