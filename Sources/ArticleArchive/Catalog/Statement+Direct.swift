import GRDB
import GRDBSQLite

/// Running the statements an ingest runs for every arrival (its rows of objects, articles, versions, cleanings,
/// captures, fingerprints) with their values bound straight to SQLite.
///
/// GRDB's `execute(arguments:)` first boxes every value in an array of `DatabaseValue`s and binds them through a
/// nested closure per value; for the writer's nine statements per arrival that was 4% of an ingest's CPU at 100k
/// articles. These run inside a transaction GRDB opened, and only insert, update or delete rows (no transaction
/// control), so nothing GRDB tracks about the connection changes behind its back.
extension Statement {
    /// Binds the parameters in order through `bind`, runs the statement to its end, and resets it.
    func run(_ bind: (inout ParameterBinder) -> Void) throws {
        try forEachRow(bind) { _ in }
    }

    /// Binds the parameters in order through `bind` and reads the first row through `read`, or returns `nil` when
    /// there is none; the statement is reset either way.
    func firstRow<T>(_ bind: (inout ParameterBinder) -> Void, read: (ColumnReader) -> T) throws -> T? {
        var binder = ParameterBinder(statement: sqliteStatement)
        bind(&binder)
        defer { release() }
        let code = sqlite3_step(sqliteStatement)
        if code == SQLITE_ROW { return read(ColumnReader(statement: sqliteStatement)) }
        guard code == SQLITE_DONE else { throw failure(code) }
        return nil
    }

    /// Binds the parameters in order through `bind` and reads each row through `read`; the statement is reset
    /// after.
    func forEachRow(_ bind: (inout ParameterBinder) -> Void, read: (ColumnReader) throws -> Void) throws {
        var binder = ParameterBinder(statement: sqliteStatement)
        bind(&binder)
        defer { release() }
        var code = sqlite3_step(sqliteStatement)
        while code == SQLITE_ROW {
            try read(ColumnReader(statement: sqliteStatement))
            code = sqlite3_step(sqliteStatement)
        }
        guard code == SQLITE_DONE else { throw failure(code) }
    }

    /// Resets the statement and clears its bindings (which point into memory SQLite copied, but no value should
    /// outlive its run).
    private func release() {
        sqlite3_reset(sqliteStatement)
        sqlite3_clear_bindings(sqliteStatement)
    }

    private func failure(_ code: Int32) -> DatabaseError {
        DatabaseError(
            resultCode: ResultCode(rawValue: code),
            message: String(cString: sqlite3_errmsg(sqlite3_db_handle(sqliteStatement))), sql: sql)
    }
}

/// Binds a statement's parameters, in order.
struct ParameterBinder {
    fileprivate let statement: SQLiteStatement
    private var index: Int32 = 0

    fileprivate init(statement: SQLiteStatement) {
        self.statement = statement
    }

    mutating func bind(_ value: Int64) {
        index += 1
        sqlite3_bind_int64(statement, index, value)
    }

    mutating func bind(_ value: Int) {
        bind(Int64(value))
    }

    mutating func bind(_ value: Double) {
        index += 1
        sqlite3_bind_double(statement, index, value)
    }

    /// Binds a text (copied by SQLite), or `NULL`.
    mutating func bind(_ value: String?) {
        index += 1
        guard var value else {
            sqlite3_bind_null(statement, index)
            return
        }
        _ = value.withUTF8 { sqlite3_bind_text(statement, index, $0.baseAddress, Int32($0.count), Self.transient) }
    }

    /// Binds an object id as its hexadecimal text (made on the stack, copied by SQLite).
    mutating func bind(_ id: ObjectID) {
        index += 1
        id.withHexDigits { _ = sqlite3_bind_text(statement, index, $0.baseAddress, Int32($0.count), Self.transient) }
    }

    /// Binds an integer, or `NULL`.
    mutating func bind(_ value: Int64?) {
        guard let value else {
            index += 1
            sqlite3_bind_null(statement, index)
            return
        }
        bind(value)
    }

    /// Binds bytes as a blob (copied by SQLite).
    mutating func bind(blob: UnsafeRawBufferPointer) {
        index += 1
        sqlite3_bind_blob(statement, index, blob.baseAddress, Int32(blob.count), Self.transient)
    }

    /// SQLite's "copy the value now".
    private static let transient = unsafeBitCast(OpaquePointer(bitPattern: -1), to: sqlite3_destructor_type.self)
}

/// Reads the columns of the row a statement stands on.
struct ColumnReader {
    fileprivate let statement: SQLiteStatement

    func int64(_ column: Int32) -> Int64 {
        sqlite3_column_int64(statement, column)
    }

    func string(_ column: Int32) -> String? {
        guard let text = sqlite3_column_text(statement, column) else { return nil }
        let count = Int(sqlite3_column_bytes(statement, column))
        return String(decoding: UnsafeBufferPointer(start: text, count: count), as: UTF8.self)
    }
}
