import Dispatch

/// Runs `body` and adds the seconds it took to `total` (for the time reports of ingest).
func measuring<Result>(into total: inout Double, _ body: () throws -> Result) rethrows -> Result {
    let started = DispatchTime.now().uptimeNanoseconds
    defer { total += Double(DispatchTime.now().uptimeNanoseconds - started) / 1e9 }
    return try body()
}
