import Foundation
import GRDB
import Testing
import TestSupport
@testable import ArticleArchive

@Suite("Run index")
struct RunIndexTests {
    /// A catalog schema in a fresh folder, and an index beside it with tiny size classes, so a few hundred entries
    /// go through many merges.
    private struct Fixture {
        let folder: TemporaryDirectory
        let queue: DatabaseQueue
        let index: RunIndex

        init(
            fanout: Int = 3, baseEntries: Int = 40, maximumMergedEntries: Int = .max, backgroundMergeEntries: Int = .max,
            keepPerKey: Int? = nil
        ) throws {
            folder = try TemporaryDirectory()
            queue = try DatabaseQueue(path: folder.path("catalog.sqlite"))
            try CatalogSchema.migrator.migrate(queue)
            index = RunIndex(
                name: "lsh", directory: folder.path("lsh"), fanout: fanout, baseEntries: baseEntries,
                maximumMergedEntries: maximumMergedEntries, backgroundMergeEntries: backgroundMergeEntries,
                keepPerKey: keepPerKey, rebuildSource: Catalog.everyLSHBucket)
        }

        func files() throws -> Set<String> {
            Set(try FileManager.default.contentsOfDirectory(atPath: index.directory))
        }

        func listedFiles() throws -> [String] {
            try queue.read { try String.fetchAll($0, sql: "SELECT file FROM lsh_runs ORDER BY id") }
        }

        /// A transaction of `index` (or of `other`, as another process's index of the same folder), merging as an
        /// ingest does (large merges in the background) or not.
        func transaction(
            of other: RunIndex? = nil, mergingInBackground: Bool = false, _ body: (RunIndexUpdate) throws -> Void
        ) throws {
            try queue.inTransaction { db in
                let update = try (other ?? index).update(in: db, mergingInBackground: mergingInBackground)
                try body(update)
                try update.finish(in: db)
                return .commit
            }
        }
    }

    @Test("a run finds every record of a key, also when they span blocks")
    func runLookup() throws {
        let folder = try TemporaryDirectory()
        var records: [RunRecord] = []
        for key in UInt64(0)..<40 {
            // Key 7 holds 700 articles: it crosses many block boundaries.
            for article in 0..<(key == 7 ? 700 : Int(key % 3)) {
                records.append(RunRecord(key: key * 1000, article: Int64(article), isTombstone: article % 5 == 4))
            }
        }
        var writer = try SortedRunWriter(path: folder.path("a.run"))
        for record in records { try writer.append(record) }
        try writer.finish()
        let run = try SortedRun(path: folder.path("a.run"))
        #expect(run.count == records.count)
        // Through a block cache too, twice (the second time from memory), with other runs' blocks in it.
        let cache = RunBlockCache(capacity: 4)
        let cached = try SortedRun(path: folder.path("a.run"), cache: cache)
        let other = try SortedRun(path: folder.path("a.run"), cache: cache)
        for key in UInt64(0)..<40 {
            let expected = records.filter { $0.key == key * 1000 }
            #expect(try run.records(of: key * 1000) == expected)
            #expect(try run.records(of: key * 1000 + 1).isEmpty)
            for _ in 0..<2 {
                #expect(try cached.records(of: key * 1000) == expected)
                #expect(try other.records(of: (39 - key) * 1000) == records.filter { $0.key == (39 - key) * 1000 })
            }
        }
        #expect(cache.counts.hits > 0 && cache.counts.misses > 0)
        #expect(try run.records(of: .max).isEmpty)
        var cursor = SortedRun.Cursor(run)
        var read: [RunRecord] = []
        while let record = try cursor.peek() {
            read.append(record)
            cursor.advance()
        }
        #expect(read == records)
    }

    @Test("a run finds a key among blocks whose fences share its high 32 bits (all memory keeps of a fence)")
    func runLookupSharedFencePrefixes() throws {
        let folder = try TemporaryDirectory()
        var generator = SplitMix(seed: 11)
        // Three high halves over some 50 blocks, and a few uniform keys between them.
        var keys = (0..<3000).map { index in UInt64(index % 3 + 1) << 32 | generator.next() >> 32 }
        keys += (0..<200).map { _ in generator.next() }
        let records = Set(keys).sorted().enumerated().map { RunRecord(key: $1, article: Int64($0)) }
        var writer = try SortedRunWriter(path: folder.path("a.run"))
        for record in records { try writer.append(record) }
        try writer.finish()
        let run = try SortedRun(path: folder.path("a.run"))
        for record in records.shuffled() { #expect(try run.records(of: record.key) == [record]) }
        let present = Set(keys)
        for _ in 0..<2000 {
            let absent = UInt64(generator.next() % 4) << 32 | generator.next() >> 32
            guard !present.contains(absent) else { continue }
            #expect(try run.records(of: absent).isEmpty)
        }
    }

    @Test("the block cache gives back what it was given, short blocks too, and forgets a block another takes over")
    func blockCache() throws {
        let cache = RunBlockCache(capacity: 2)
        let full = (0..<RunBlockCache.slotBytes).map { UInt8(truncatingIfNeeded: $0 &* 7) }
        let short = [UInt8](repeating: 0xAB, count: 48)
        let run = RunBlockCache.newSerial(), other = RunBlockCache.newSerial()
        full.withUnsafeBytes { cache.remember($0, block: 0, ofRun: run) }
        short.withUnsafeBytes { cache.remember($0, block: 9, ofRun: run) }
        var buffer = [UInt8](repeating: 0, count: RunBlockCache.slotBytes)
        func copy(_ block: Int, of serial: UInt64) -> [UInt8]? {
            buffer.withUnsafeMutableBytes { bytes in
                cache.copyBlock(block, ofRun: serial, into: bytes).map { Array(bytes[..<$0]) }
            }
        }
        #expect(copy(1, of: run) == nil)
        #expect(copy(0, of: other) == nil)
        // Two slots: of blocks 0 and 9, at most both are kept, each whole or not at all.
        let kept = [copy(0, of: run), copy(9, of: run)].compactMap { $0 }
        #expect(!kept.isEmpty && kept.allSatisfy { $0 == full || $0 == short })
        for block in 0..<64 { short.withUnsafeBytes { cache.remember($0, block: block, ofRun: other) } }
        #expect(copy(0, of: run) == nil && copy(9, of: run) == nil)
        #expect((0..<64).contains { copy($0, of: other) == short })
    }

    @Test("a truncated run is refused, naming the file")
    func truncatedRun() throws {
        let folder = try TemporaryDirectory()
        var writer = try SortedRunWriter(path: folder.path("a.run"))
        for article in 0..<300 { try writer.append(RunRecord(key: 5, article: Int64(article))) }
        try writer.finish()
        let bytes = try Data(contentsOf: URL(fileURLWithPath: folder.path("a.run")))
        try bytes.dropLast(9).write(to: URL(fileURLWithPath: folder.path("a.run")))
        #expect(throws: StoreError.corruptIndex(
            path: folder.path("a.run"), reason: "\(bytes.count - 9) bytes and no run trailer: cut short or overwritten")
        ) { try SortedRun(path: folder.path("a.run")) }
    }

    @Test("lookups match a plain model through adds, removals, merges and tombstones, runs merged to any size or not",
          arguments: [Int.max, 150])
    func matchesModel(maximumMergedEntries: Int) throws {
        try matchModel(maximumMergedEntries: maximumMergedEntries)
    }

    @Test("lookups match a plain model when runs merge two at a time (the pairwise merge)")
    func matchesModelMergingPairs() throws {
        try matchModel(fanout: 2, maximumMergedEntries: .max)
    }

    @Test("lookups match a plain model with large merges made in the background, done between transactions or not",
          arguments: [true, false])
    func matchesModelMergingInBackground(waitingForEachMerge: Bool) throws {
        let merges = try matchModel(
            maximumMergedEntries: .max, backgroundMergeEntries: 120, waitingForEachMerge: waitingForEachMerge)
        // Each listed by the transaction after it started, when it is done by then.
        if waitingForEachMerge { #expect(merges >= 3) }
    }

    /// Runs 40 seeded transactions of adds and removals against a plain model, checking every lookup.
    /// - Returns: how many background merges were listed.
    @discardableResult
    private func matchModel(
        fanout: Int = 3, maximumMergedEntries: Int, backgroundMergeEntries: Int = .max,
        waitingForEachMerge: Bool = false
    ) throws -> Int {
        let fixture = try Fixture(
            fanout: fanout, maximumMergedEntries: maximumMergedEntries, backgroundMergeEntries: backgroundMergeEntries)
        let inBackground = backgroundMergeEntries < .max
        var backgroundMerges = 0
        var model: [UInt64: Set<Int64>] = [:]
        // Seeded: a failure can be replayed, and the capped case's bounds hold for this sequence, not by luck.
        var generator = SplitMix(seed: 20_261_203)
        var keysOf: [Int64: [UInt64]] = [:]
        for transaction in 0..<40 {
            let running = fixture.index.runningMerge
            try fixture.transaction(mergingInBackground: inBackground) { update in
                for _ in 0..<Int.random(in: 1...12, using: &generator) {
                    let article = Int64.random(in: 1...60, using: &generator)
                    if let old = keysOf[article] {
                        update.remove(article: article, keys: old)
                        for key in old { model[key]?.remove(article) }
                    }
                    // Key 0 holds every article: its records span blocks in the larger runs.
                    let keys = [0] + (0..<3).map { _ in UInt64.random(in: 1...25, using: &generator) }
                    for key in keys {
                        let found = try update.articles(under: key)
                        #expect(found == (model[key] ?? []).sorted(), "transaction \(transaction), article \(article)")
                    }
                    update.add(article: article, keys: keys)
                    for key in keys { model[key, default: []].insert(article) }
                    keysOf[article] = keys
                }
            }
            if let running, try fixture.listedFiles().contains(running.file) { backgroundMerges += 1 }
            if waitingForEachMerge { _ = try fixture.index.runningMerge?.entries() }
        }
        try fixture.queue.inTransaction { db in
            let update = try fixture.index.update(in: db)
            if inBackground {
                let running = fixture.index.runningMerge
                try update.finishMerging(in: db)
                if let running, update.runs.contains(where: { $0.file == running.file }) { backgroundMerges += 1 }
                #expect(!fixture.index.isMerging)
            }
            if maximumMergedEntries == .max {
                #expect(update.runs.count <= 8)
            } else {
                // Runs stop merging at the cap: several reach it, and none was made by merging runs past it.
                #expect(update.runs.filter { $0.entries >= maximumMergedEntries }.count >= 2, "\(update.runs.map(\.entries))")
                // A merge takes at most `fanout` runs, each below the cap.
                #expect(update.runs.allSatisfy { $0.entries < fixture.index.fanout * maximumMergedEntries },
                        "\(update.runs.map(\.entries))")
            }
            for key in UInt64(0)...25 { #expect(try update.articles(under: key) == (model[key] ?? []).sorted()) }
            let reader = try fixture.index.reader(in: db)
            for key in UInt64(0)...25 { #expect(try reader.articles(under: key) == (model[key] ?? []).sorted()) }
            return .commit
        }
        try fixture.queue.inTransaction { db in
            try fixture.index.removeUnusedFiles(retiredBefore: .distantFuture, in: db)
            return .commit
        }
        #expect(try fixture.files() == Set(fixture.listedFiles()))
        return backgroundMerges
    }

    @Test("a background merge is listed in place of its runs, after newer ones; its file outlives the writes between")
    func backgroundMergeTakesItsRunsPlace() throws {
        let fixture = try Fixture(fanout: 2, baseEntries: 4, backgroundMergeEntries: 8)
        var article: Int64 = 0
        func addFour() throws {
            try fixture.transaction(mergingInBackground: true) { update in
                for _ in 0..<4 {
                    article += 1
                    update.add(article: article, keys: [UInt64(article % 3)])
                }
            }
        }
        // Runs of 4 and 4 fill the first class: their merge (8 entries) goes to the background.
        try addFour()
        #expect(!fixture.index.isMerging)
        try addFour()
        let merge = try #require(fixture.index.runningMerge)
        #expect(try merge.runs.map(\.file) == fixture.listedFiles())
        #expect(try merge.entries() == 8)
        // Listed by the next transaction, which deleted unlisted files first: not the merge's, done but unlisted.
        try addFour()
        #expect(!fixture.index.isMerging)
        let listed = try fixture.listedFiles()
        #expect(listed.count == 2 && listed[0] == merge.file)
        let reader = try fixture.queue.read { try fixture.index.reader(in: $0) }
        #expect(try reader.articles(under: 0) == [3, 6, 9, 12])
        #expect(try reader.articles(under: 1) == [1, 4, 7, 10])
    }

    @Test("a background merge whose runs another process merged first is discarded, its file deleted")
    func backgroundMergeOvertaken() throws {
        let fixture = try Fixture(fanout: 2, baseEntries: 4, backgroundMergeEntries: 8)
        let otherProcess = RunIndex(
            name: "lsh", directory: fixture.index.directory, fanout: 2, baseEntries: 4,
            rebuildSource: Catalog.everyLSHBucket)
        for article in Int64(1)...2 {
            try fixture.transaction(mergingInBackground: true) { update in
                for offset in Int64(0)..<4 { update.add(article: article * 10 + offset, keys: [7]) }
            }
        }
        let merge = try #require(fixture.index.runningMerge)
        _ = try merge.entries()
        // The other process merges the same two runs in its transaction (with its own run).
        try fixture.transaction(of: otherProcess) { $0.add(article: 99, keys: [7]) }
        #expect(try !fixture.listedFiles().contains(merge.file))
        try fixture.transaction(mergingInBackground: true) { $0.add(article: 100, keys: [7]) }
        #expect(!fixture.index.isMerging)
        #expect(!FileManager.default.fileExists(atPath: fixture.index.path(of: merge.file)))
        #expect(try !fixture.listedFiles().contains(merge.file))
        let reader = try fixture.queue.read { try fixture.index.reader(in: $0) }
        #expect(try reader.articles(under: 7) == [10, 11, 12, 13, 20, 21, 22, 23, 99, 100])
    }

    @Test("an index keeping a few articles per key keeps the lowest ids, through merges")
    func keepsLowestArticles() throws {
        let fixture = try Fixture(fanout: 2, baseEntries: 8, keepPerKey: 3)
        for batch in 0..<20 {
            try fixture.transaction { update in
                // Later batches bring lower ids too (a new version of an old article).
                for article in [Int64(100 - batch), Int64(200 + batch)] { update.add(article: article, keys: [1, 2]) }
            }
        }
        try fixture.queue.inTransaction { db in
            let update = try fixture.index.update(in: db)
            #expect(try update.articles(under: 1) == [81, 82, 83])
            #expect(try fixture.index.reader(in: db).articles(under: 2) == [81, 82, 83])
            #expect(update.runs.reduce(0) { $0 + $1.entries } < 40)
            return .commit
        }
    }

    @Test("cached answers of full keys stay right when an earlier article joins a key")
    func saturatedAnswersStayExact() throws {
        let fixture = try Fixture(fanout: 2, baseEntries: 8, keepPerKey: 3)
        func answer(_ key: UInt64) throws -> [Int64] {
            try fixture.queue.read { db in try fixture.index.reader(in: db).articles(under: key) }
        }
        for batch in 0..<6 {
            try fixture.transaction { update in update.add(article: Int64(50 + batch), keys: [1, 2]) }
            _ = try answer(1)
            _ = try answer(2)
        }
        #expect(fixture.index.saturatedArticles(under: 1) == [50, 51, 52])
        try fixture.transaction { update in
            try update.addEarlier(article: 10, keys: [1])
            try update.addEarlier(article: 60, keys: [2])  // after the last of [50, 51, 52]: no change
            #expect(try update.articles(under: 1) == [10, 50, 51])
        }
        #expect(try answer(1) == [10, 50, 51])
        #expect(try answer(2) == [50, 51, 52])
        #expect(fixture.index.saturatedArticles(under: 1) == nil)
        #expect(fixture.index.saturatedArticles(under: 2) == [50, 51, 52])
        // An article of the answer going under the key again (its new version holds the line too) changes nothing:
        // the answer stays cached.
        try fixture.transaction { update in try update.addEarlier(article: 51, keys: [2]) }
        #expect(try answer(2) == [50, 51, 52])
        #expect(fixture.index.saturatedArticles(under: 2) == [50, 51, 52])
    }

    @Test("a run's filter rules out most absent keys and never a present one, in both layouts")
    func bloomFilter() throws {
        // At 7 bits a key: about 3.6% pass with five bits a key, 5% with a bit in each of eight words.
        for (layout, bound) in [(RunBloomFilter.Layout.fiveBits, 0.04), (.bitPerWord, 0.06)] {
            var generator = SplitMix(seed: 42)
            let present = (0..<20_000).map { _ in generator.next() }
            var filter = RunBloomFilter(capacity: present.count, layout: layout, bitsPerKey: 7)
            for key in present { filter.insert(key) }
            #expect(present.allSatisfy { filter.mayContain($0) })
            let passed = (0..<200_000).filter { _ in filter.mayContain(generator.next()) }.count
            #expect(Double(passed) / 200_000 < bound, "\(layout): \(passed) absent keys passed")
            // Keys that differ in few bits (consecutive ids) spread as well as random ones.
            var sequential = RunBloomFilter(capacity: 20_000, layout: layout, bitsPerKey: 7)
            for key in UInt64(0)..<20_000 { sequential.insert(key) }
            let passedSequential = (UInt64(1_000_000)..<1_200_000).filter { sequential.mayContain($0) }.count
            #expect(Double(passedSequential) / 200_000 < bound, "\(layout): \(passedSequential) absent keys passed")
        }
    }

    @Test("small runs get more filter bits a key, in proportion to how much smaller they are, and pass fewer keys")
    func filterBitsBySize() {
        #expect(RunBloomFilter.bitsPerKey(keys: 1 << 23) == 7)
        #expect(RunBloomFilter.bitsPerKey(keys: RunBloomFilter.largeRunKeys) == 7)
        // Half the keys, 1/ln 2 bits more a key: the run's rate of false positives halves.
        let half = RunBloomFilter.bitsPerKey(keys: RunBloomFilter.largeRunKeys / 2)
        #expect(abs(half - (7 + 1 / log(2))) < 1e-9)
        let sizes = (0...20).map { 1 << $0 }
        let bits = sizes.map { RunBloomFilter.bitsPerKey(keys: $0) }
        #expect(zip(bits, bits.dropFirst()).allSatisfy { $0 >= $1 })
        #expect(bits.first == RunBloomFilter.maximumBitsPerKey)
        // A run of a batch's keys, sized by the rule: far fewer absent keys pass than at 7 bits (3.6%).
        var generator = SplitMix(seed: 7)
        let present = (0..<50_000).map { _ in generator.next() }
        var filter = RunBloomFilter(capacity: present.count)
        for key in present { filter.insert(key) }
        #expect(present.allSatisfy { filter.mayContain($0) })
        let passed = (0..<200_000).filter { _ in filter.mayContain(generator.next()) }.count
        #expect(Double(passed) / 200_000 < 0.01, "\(passed) absent keys passed")
    }

    @Test("a run of the second format, its filter a bit in each word of a block, is read with that filter")
    func readsSecondFormat() throws {
        let folder = try TemporaryDirectory()
        let records = (0..<5000).map { RunRecord(key: UInt64($0) &* 0x9E37_79B9_7F4A_7C15, article: Int64($0)) }
            .sorted(by: RunRecord.precedes)
        var writer = try SortedRunWriter(path: folder.path("a.run"))
        for record in records { try writer.append(record) }
        try writer.finish()
        // The same run as a writer of the second format made it: its header, and its filter's layout.
        var bytes = try Data(contentsOf: URL(fileURLWithPath: folder.path("a.run")))
        #expect(bytes.prefix(8) == Data("AARUN003".utf8))
        bytes.replaceSubrange(0..<8, with: Data("AARUN002".utf8))
        var filter = RunBloomFilter(capacity: records.count, layout: .bitPerWord)
        for record in records { filter.insert(record.key) }
        let filterStart = bytes.count - 16 - filter.words.count * 8
        let words = filter.words.flatMap { word in withUnsafeBytes(of: word.littleEndian) { Array($0) } }
        bytes.replaceSubrange(filterStart..<(bytes.count - 16), with: words)
        try bytes.write(to: URL(fileURLWithPath: folder.path("old.run")))
        let run = try SortedRun(path: folder.path("old.run"))
        for record in records { #expect(try run.records(of: record.key) == [record]) }
        // Read with the new layout, the old filter would rule out keys the run holds.
        let misread = RunBloomFilter(words: filter.words, layout: .fiveBits)
        #expect(!records.allSatisfy { misread.mayContain($0.key) })
    }

    @Test("sections of a filter, made apart, are the whole filter; a run written a few blocks at a time is the same file")
    func filterSections() throws {
        var generator = SplitMix(seed: 5)
        let keys = (0..<20_000).map { _ in generator.next() }
        var whole = RunBloomFilter(capacity: keys.count)
        for key in keys { whole.insert(key) }
        var words: [UInt64] = []
        for bounds in [0..<7, 7..<100, 100..<whole.blockCount] {
            var section = RunBloomFilter(section: bounds, of: whole.blockCount)
            for key in keys { section.insert(key) }
            #expect(section.blockCount == bounds.count)
            words += section.words
        }
        #expect(words == whole.words)

        let folder = try TemporaryDirectory()
        let records = Set(keys).sorted().enumerated().map { RunRecord(key: $1, article: Int64($0)) }
        for (name, sectionBlocks) in [("whole.run", SortedRunWriter.defaultFilterSectionBlocks), ("sections.run", 3)] {
            var writer = try SortedRunWriter(path: folder.path(name), filterSectionBlocks: sectionBlocks)
            for record in records { try writer.append(record) }
            try writer.finish()
        }
        let wholeFile = try Data(contentsOf: URL(fileURLWithPath: folder.path("whole.run")))
        #expect(wholeFile == (try Data(contentsOf: URL(fileURLWithPath: folder.path("sections.run")))))
        let run = try SortedRun(path: folder.path("sections.run"))
        #expect(records.allSatisfy { run.mayContain($0.key) })
        #expect(run.filterBytes == whole.blockCount * RunBloomFilter.bytesPerBlock)
    }

    @Test("a run opened without its filter finds what it holds, and loads the filter once asked")
    func runWithoutFilterLoaded() throws {
        let folder = try TemporaryDirectory()
        let records = (0..<3000).map { RunRecord(key: UInt64($0) * 7919, article: Int64($0)) }
        var writer = try SortedRunWriter(path: folder.path("a.run"))
        for record in records { try writer.append(record) }
        try writer.finish()
        let run = try SortedRun(path: folder.path("a.run"), loadingFilter: false)
        #expect(!run.isFilterLoaded && run.filterBytes == 0)
        for record in records.prefix(300) { #expect(try run.records(of: record.key) == [record]) }
        #expect(try run.records(of: 1).isEmpty)
        try run.loadFilter()
        #expect(run.isFilterLoaded && run.filterBytes > 0)
        for record in records.suffix(300) { #expect(try run.records(of: record.key) == [record]) }
    }

    @Test("a merged run's filter is read when the run is next handed out, not while the runs it replaces are held")
    func mergedRunFilterLoadsLater() throws {
        let fixture = try Fixture(fanout: 2, baseEntries: 1)
        for article in Int64(1)...4 { try fixture.transaction { $0.add(article: article, keys: [10, 11]) } }
        let listed = try fixture.queue.read { db in try String.fetchAll(db, sql: "SELECT file FROM lsh_runs") }
        #expect(listed.count == 1, "four runs of one size class merge into one")
        let merged = try fixture.index.run(named: listed[0], loadingFilter: false)
        #expect(!merged.isFilterLoaded)
        let reader = try fixture.queue.read { db in try fixture.index.reader(in: db) }
        #expect(merged.isFilterLoaded)
        #expect(try reader.articles(under: 10) == [1, 2, 3, 4])
    }

    @Test("the fence search finds what a binary search finds, for uniform and skewed keys")
    func fenceSearch() {
        var generator = SplitMix(seed: 7)
        func randomPrefix() -> UInt32 { SortedRun.fencePrefix(generator.next()) }
        let uniform = (0..<5000).map { _ in randomPrefix() }.sorted()
        let skewed = (0..<5000).map { _ in randomPrefix() >> 20 }.sorted()  // all near zero
        let repeated = [UInt32](repeating: 42, count: 300) + [43, 44, .max]
        for fences in [uniform, skewed, repeated, [5], [UInt32.max]] {
            var probes: [UInt32] = (0..<2000).map { _ in randomPrefix() }
            probes += fences + fences.map { $0 &+ 1 } + [0, .max]
            probes += skewed.prefix(100).map { $0 &- 1 }
            for key in probes {
                let expected = fences.firstIndex { $0 >= key } ?? fences.count
                #expect(SortedRun.firstFence(notBelow: key, in: fences) == expected, "key \(key)")
            }
        }
    }

    @Test("a run of the first format, without a filter, is read")
    func readsFirstFormat() throws {
        let folder = try TemporaryDirectory()
        let records = (0..<150).map { RunRecord(key: UInt64($0 / 2) * 10, article: Int64($0), isTombstone: $0 == 7) }
        var bytes = Array("AARUN001".utf8)
        func append(_ value: UInt64) { withUnsafeBytes(of: value.littleEndian) { bytes += $0 } }
        append(UInt64(records.count))
        for record in records {
            append(record.key)
            append(record.tagged)
        }
        for block in stride(from: 0, to: records.count, by: SortedRun.recordsPerBlock) { append(records[block].key) }
        bytes += Array("AARUNEND".utf8)
        try Data(bytes).write(to: URL(fileURLWithPath: folder.path("old.run")))
        let run = try SortedRun(path: folder.path("old.run"))
        #expect(run.count == 150 && run.filterBytes == 0)
        #expect(try run.records(of: 30) == [records[6], records[7]])
        #expect(try run.records(of: 31).isEmpty)
        #expect(try run.records(of: 740) == [records[148], records[149]])
    }

    @Test("replaced runs are deleted by a later write; a run a rolled-back transaction wrote is deleted too")
    func filesFollowTheCatalog() throws {
        let fixture = try Fixture(fanout: 2, baseEntries: 1)
        for article in Int64(1)...4 { try fixture.transaction { $0.add(article: article, keys: [10, 11]) } }
        try fixture.queue.inTransaction { db in
            let update = try fixture.index.update(in: db)
            update.remove(article: 1, keys: [10])
            update.add(article: 9, keys: [10])
            try update.finish(in: db)
            return .rollback
        }
        try fixture.queue.inTransaction { db in
            try fixture.index.removeUnusedFiles(retiredBefore: .distantFuture, in: db)
            let update = try fixture.index.update(in: db)
            let listed = try String.fetchAll(db, sql: "SELECT file FROM lsh_runs")
            #expect(try fixture.files() == Set(listed))
            #expect(try update.articles(under: 10) == [1, 2, 3, 4])
            return .commit
        }
    }

    @Test("a missing run makes the LSH index rebuild from the fingerprints")
    func rebuildsMissingRun() throws {
        let fixture = try Fixture()
        try fixture.queue.write { db in
            try db.execute(sql: """
                INSERT INTO articles (id, key, first_seen_at, last_seen_at) VALUES (1, 'a', 0, 0), (2, 'b', 0, 0);
                INSERT INTO objects (row, id, size, stored_size, created_at) VALUES (1, 'x', 1, 1, 0);
                INSERT INTO versions (id, article_id, number, raw_object, raw_row, created_at)
                    VALUES (1, 1, 1, 'x', 1, 0), (2, 2, 1, 'x', 1, 0);
                """)
            for (article, buckets) in [(1, [Int64(10), 11]), (2, [11, 12])] {
                try db.execute(
                    sql: "INSERT INTO fingerprints (article_id, version_id, shingle_count, buckets) VALUES (?, ?, 1, ?)",
                    arguments: [article, article, LSHBucketList.encode(buckets)])
            }
        }
        // The first update finds no runs and builds them.
        try fixture.transaction { update in
            let found = try update.articles(under: 11)
            #expect(found == [1, 2])
        }
        for file in try fixture.files() { try FileManager.default.removeItem(atPath: fixture.index.path(of: file)) }
        try fixture.transaction { update in
            let found = try [update.articles(under: 10), update.articles(under: 12)]
            #expect(found == [[1], [2]])
        }
    }

    @Test("an archive's template lines from before the run index become its first runs, and the table goes")
    func buildsFromLegacyTemplateLines() throws {
        let folder = try TemporaryDirectory()
        let queue = try DatabaseQueue(path: folder.path("catalog.sqlite"))
        try CatalogSchema.migrator.migrate(queue, upTo: "v4: pack locations, compact fingerprints and template lines")
        try queue.write { db in
            try db.execute(sql: """
                INSERT INTO articles (id, key, first_seen_at, last_seen_at) VALUES (1, 'a', 0, 0), (2, 'b', 0, 0);
                INSERT INTO sources (id, name) VALUES (1, 'site');
                INSERT INTO template_lines (source_id, line_hash, article_id) VALUES (1, 77, 1), (1, 77, 2), (1, 78, 2);
                """)
        }
        try CatalogSchema.migrator.migrate(queue)
        let index = RunIndex(
            name: "template", directory: folder.path("templates"), keepPerKey: 8, rebuildsWhenDamaged: false,
            rebuildSource: Catalog.legacyTemplateLines)
        try queue.inTransaction { db in
            let update = try index.update(in: db)
            #expect(try update.articles(under: Catalog.templateKey(source: 1, line: 77)) == [1, 2])
            #expect(try update.articles(under: Catalog.templateKey(source: 1, line: 78)) == [2])
            #expect(try !db.tableExists("template_lines"))
            return .commit
        }
    }

    @Test("a damaged template run is dropped alone; verify names it first")
    func dropsDamagedTemplateRun() throws {
        let folder = try TemporaryDirectory()
        let queue = try DatabaseQueue(path: folder.path("catalog.sqlite"))
        try CatalogSchema.migrator.migrate(queue)
        let index = RunIndex(
            name: "template", directory: folder.path("templates"), fanout: 8, keepPerKey: 8,
            rebuildsWhenDamaged: false, rebuildSource: Catalog.legacyTemplateLines)
        for article in Int64(1)...2 {
            try queue.inTransaction { db in
                let update = try index.update(in: db)
                update.add(article: article, keys: [5])
                try update.finish(in: db)
                return .commit
            }
        }
        let second = try queue.read { db in try String.fetchOne(db, sql: "SELECT file FROM template_runs ORDER BY id DESC")! }
        let bytes = try Data(contentsOf: URL(fileURLWithPath: index.path(of: second)))
        try bytes.dropLast(3).write(to: URL(fileURLWithPath: index.path(of: second)))
        let problems = try queue.read { db in try index.problems(in: db) }
        #expect(problems.count == 1 && problems[0].contains(second))
        try queue.inTransaction { db in
            let update = try index.update(in: db)
            #expect(try update.articles(under: 5) == [1])
            #expect(try index.problems(in: db).isEmpty)
            return .commit
        }
    }

    @Test("through the archive: verify names a damaged LSH run, the next ingest rebuilds the index, gc leaves only listed runs")
    func archiveRebuildsDamagedLSHRun() throws {
        let folder = try TemporaryDirectory()
        let archive = try Archive.open(at: folder.path("archive"), create: true)
        var maker = TextMaker(seed: 5)
        let story = maker.paragraphs(8).joined(separator: "\n")
        _ = try archive.ingest([.path(try folder.write("a.txt", story))], options: IngestOptions(key: "a"))
        let lsh = folder.path("archive/lsh")
        for file in try FileManager.default.contentsOfDirectory(atPath: lsh) {
            try Data("not a run".utf8).write(to: URL(fileURLWithPath: lsh + "/" + file))
        }
        #expect(try archive.verify().catalogProblems.contains { $0.contains("is corrupt") && $0.contains("rebuilds") })
        _ = try archive.ingest([.path(try folder.write("b.txt", story + "\nA late line."))], options: IngestOptions(key: "b"))
        #expect(try archive.similar(to: "b").map(\.key) == ["a"])
        _ = try archive.collectGarbage(grace: 0)
        #expect(try archive.verify().isHealthy)
        let listed = try archive.catalog.pool.read { db in try String.fetchAll(db, sql: "SELECT file FROM lsh_runs") }
        #expect(Set(try FileManager.default.contentsOfDirectory(atPath: lsh)) == Set(listed))
    }
}
