import GRDB
import Testing
@testable import ArticleArchive

@Suite("Statements run with direct bindings")
struct DirectStatementTests {
    @Test("values of every kind go in and come back; a failure throws the statement's error and leaves it reusable")
    func roundTrip() throws {
        let queue = try DatabaseQueue()
        try queue.write { db in
            try db.execute(sql: "CREATE TABLE t (id INTEGER PRIMARY KEY, name TEXT UNIQUE, size REAL, data BLOB, n INTEGER)")
            let insert = try db.cachedStatement(sql: "INSERT INTO t (name, size, data, n) VALUES (?, ?, ?, ?)")
            try [UInt8]([1, 2, 3]).withUnsafeBytes { bytes in
                try insert.run {
                    $0.bind("Zürich — 東京")
                    $0.bind(2.5)
                    $0.bind(blob: bytes)
                    $0.bind(Int64?.none)
                }
            }
            let error = #expect(throws: DatabaseError.self) {
                try insert.run {
                    $0.bind("Zürich — 東京")
                    $0.bind(1.0)
                    $0.bind(blob: UnsafeRawBufferPointer(start: nil, count: 0))
                    $0.bind(7)
                }
            }
            #expect(error?.resultCode == .SQLITE_CONSTRAINT)
            #expect(error?.sql?.contains("INSERT INTO t") == true)
            try insert.run {
                $0.bind(String?.none)
                $0.bind(1.0)
                $0.bind(blob: UnsafeRawBufferPointer(start: nil, count: 0))
                $0.bind(7)
            }
            let select = try db.cachedStatement(sql: "SELECT name, n, hex(data), size FROM t WHERE id = ?")
            let first = try select.firstRow({ $0.bind(1) }) { ($0.string(0), $0.int64(1), $0.string(2)) }
            #expect(first?.0 == "Zürich — 東京" && first?.1 == 0 && first?.2 == "010203")
            let second = try select.firstRow({ $0.bind(2) }) { ($0.string(0), $0.int64(1)) }
            #expect(second?.0 == nil && second?.1 == 7)
            #expect(try select.firstRow({ $0.bind(3) }) { $0.int64(1) } == nil)
            #expect(try Row.fetchOne(db, sql: "SELECT typeof(n) FROM t WHERE id = 1")?[0] == "null")
        }
    }
}
