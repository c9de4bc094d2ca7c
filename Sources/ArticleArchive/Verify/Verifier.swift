/// Re-reads every object the catalog lists, checks its hash and length, and checks the catalog's own integrity.
struct Verifier {
    let store: ObjectStore
    let catalog: Catalog

    func run(progress: (Int, Int) -> Void = { _, _ in }) throws -> VerificationReport {
        var report = VerificationReport()
        report.catalogProblems = try catalog.integrityProblems()
        report.catalogProblems += try catalog.pool.read { db in
            try catalog.lshIndex.problems(in: db) + catalog.templateIndex.problems(in: db)
                + catalog.objectIndex.problems(in: db)
        }
        let references = try catalog.objectReferences()
        let listed = try catalog.catalogedObjects()
        var listedIDs = Set<String>()
        for (index, entry) in listed.enumerated() {
            listedIDs.insert(entry.id)
            report.objectsChecked += 1
            progress(index + 1, listed.count)
            guard let id = ObjectID(hex: entry.id) else {
                report.catalogProblems.append("catalog lists an object with an invalid id \"\(entry.id)\"")
                continue
            }
            let problem: String?
            do {
                let body = try store.read(id, packedAt: { entry.location })
                problem = body.count == entry.size
                    ? nil : "holds \(body.count) bytes, the catalog says \(entry.size)"
            } catch let error as StoreError {
                problem = Self.problem(error)
            }
            if let problem {
                report.damagedObjects.append(.init(
                    object: id, problem: problem, referencedBy: references[entry.id] ?? []))
            }
        }
        for (object, referrers) in references.sorted(by: { $0.key < $1.key }) where !listedIDs.contains(object) {
            report.catalogProblems.append(
                "\(referrers.joined(separator: ", ")) refer to object \(object), which the catalog does not list")
        }
        report.unreferencedObjects = store.allObjectIDs().filter { !listedIDs.contains($0.hex) }.count
        let referencedPacks = try catalog.referencedPacks()
        report.unreferencedPacks = store.packs().indexed.filter { !referencedPacks.contains($0) }.count
        return report
    }

    private static func problem(_ error: StoreError) -> String {
        switch error {
        case .missingObject(_, let path): "missing (no file at \(path))"
        case .corruptObject(_, let path, let reason): "corrupt (\(path)): \(reason)"
        case .hashMismatch(_, let path, let actual): "corrupt (\(path)): content hashes to \(actual)"
        case .io, .notAnArchive, .corruptIndex: error.description
        }
    }
}
