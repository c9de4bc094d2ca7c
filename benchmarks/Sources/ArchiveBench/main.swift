// archive-bench: measures the library's hot paths against a reference on the same documents, on one core.
//
//   archive-bench clean FILE.jsonl [--field raw_text] [--rounds 5]
//       chrome cleaning (pages/s, MB/s) vs zlib level 6 compressing the same pages once.
//   archive-bench lines FILE.jsonl [--field raw_text] [--rounds 5]
//       a page's template lines (`TemplateLine.entries`: each distinct line's normalised hash, what the archive
//       learns of a site and looks up for every page) in pages/s and MB/s.
//   archive-bench minhash DOCS.jsonl PAIRS.jsonl [--rounds 5]
//       text -> signature (NFKC, case fold, tokenise, 5-shingles, hash, 128-value MinHash) docs/s on one core,
//       and the mean absolute error of the estimated Jaccard against the exact one on the given pairs.
//   archive-bench zlib FILE.jsonl [--field text] [--threads 2] [--limit 100000] [--rounds 3] [--level 6]
//                                 [--compressor zlib|libdeflate|igzip|igzip-fitted]
//       zlib level 6 compressing each body once on N threads: the physical yardstick for ingest (MB/s of bodies);
//       with --compressor igzip-fitted, what the archive compresses with (igzip's level 0 with Huffman codes fitted
//       to the first 512 KiB of bodies), and with igzip, its level 1 (no codes: the first batch of an ingest, single
//       writes), for comparison (and the output's size); --level is then not used.
import ArticleArchive
import CLibDeflate
import CZlib
import Foundation
import Synchronization

func readTexts(_ path: String, field: String) throws -> [String] {
    let data = try String(contentsOfFile: path, encoding: .utf8)
    return try data.split(separator: "\n").compactMap { line in
        let object = try JSONSerialization.jsonObject(with: Data(line.utf8)) as? [String: Any]
        return object?[field] as? String
    }
}

func median(_ values: [Double]) -> Double {
    let sorted = values.sorted()
    return sorted[sorted.count / 2]
}

func seconds(_ body: () -> Void) -> Double {
    let start = DispatchTime.now().uptimeNanoseconds
    body()
    return Double(DispatchTime.now().uptimeNanoseconds - start) / 1e9
}

func zlibCompress(_ bytes: [UInt8], level: Int32 = 6) -> Int {
    var length = compressBound(uLong(bytes.count))
    var output = [UInt8](repeating: 0, count: Int(length))
    _ = compress2(&output, &length, bytes, uLong(bytes.count), level)
    return Int(length)
}

/// libdeflate into a zlib stream, with one compressor per thread, as the archive uses it.
func libdeflateCompress(_ bytes: [UInt8], compressor: OpaquePointer) -> Int {
    var output = [UInt8](repeating: 0, count: libdeflate_zlib_compress_bound(compressor, bytes.count))
    return output.withUnsafeMutableBytes { out in
        bytes.withUnsafeBytes { libdeflate_zlib_compress(compressor, $0.baseAddress, $0.count, out.baseAddress, out.count) }
    }
}

/// The archive's own compression of a body (`Deflate.compress`, with `codes` when given), as the archive makes pack
/// entries: its size.
func archiveCompress(_ bytes: [UInt8], codes: HuffmanCodes?) -> Int {
    bytes.withUnsafeBytes { Deflate.compress($0, codes: codes).count }
}

func option(_ name: String, _ arguments: [String], default value: String) -> String {
    guard let index = arguments.firstIndex(of: name), index + 1 < arguments.count else { return value }
    return arguments[index + 1]
}

func benchmarkClean(_ arguments: [String]) throws {
    let texts = try readTexts(arguments[1], field: option("--field", arguments, default: "raw_text"))
    let rounds = Int(option("--rounds", arguments, default: "5")) ?? 5
    let bytes = texts.reduce(0) { $0 + $1.utf8.count }
    let cleaner = ChromeCleaner()
    var cleanTimes: [Double] = []
    var zlibTimes: [Double] = []
    var sink = 0
    for _ in 0..<rounds {
        cleanTimes.append(seconds { for text in texts { sink &+= cleaner.clean(text).text.utf8.count } })
        zlibTimes.append(seconds { for text in texts { sink &+= zlibCompress(Array(text.utf8)) } })
    }
    let clean = median(cleanTimes)
    let zlib = median(zlibTimes)
    let megabytes = Double(bytes) / 1e6
    print(String(format: "%d pages, %.1f MB, median of %d rounds, one core", texts.count, megabytes, rounds))
    print(String(format: "chrome cleaning: %8.0f pages/s  %6.1f MB/s", Double(texts.count) / clean, megabytes / clean))
    print(String(format: "zlib level 6:    %8.0f pages/s  %6.1f MB/s", Double(texts.count) / zlib, megabytes / zlib))
    print(String(format: "cleaning costs %.2fx the time of compressing the same pages once", clean / zlib))
    if sink == 42 { print("") }
}

func benchmarkLines(_ arguments: [String]) throws {
    let texts = try readTexts(arguments[1], field: option("--field", arguments, default: "raw_text"))
    let rounds = Int(option("--rounds", arguments, default: "5")) ?? 5
    let megabytes = Double(texts.reduce(0) { $0 + $1.utf8.count }) / 1e6
    var times: [Double] = []
    var sink: Int64 = 0
    for _ in 0..<rounds {
        times.append(seconds { for text in texts { for entry in TemplateLine.entries(of: text) { sink &+= entry.hash } } })
    }
    let time = median(times)
    print(String(format: "%d pages, %.1f MB, median of %d rounds, one core", texts.count, megabytes, rounds))
    print(String(format: "template lines:  %8.0f pages/s  %6.1f MB/s", Double(texts.count) / time, megabytes / time))
    if sink == 42 { print("") }
}

func benchmarkMinHash(_ arguments: [String]) throws {
    let texts = try readTexts(arguments[1], field: "text")
    let pairs = try String(contentsOfFile: arguments[2], encoding: .utf8).split(separator: "\n").map { line in
        try JSONSerialization.jsonObject(with: Data(line.utf8)) as! [Int]
    }
    let rounds = Int(option("--rounds", arguments, default: "5")) ?? 5
    let bytes = texts.reduce(0) { $0 + $1.utf8.count }
    var times: [Double] = []
    var signatures: [MinHashSignature] = []
    for _ in 0..<rounds {
        var made: [MinHashSignature] = []
        made.reserveCapacity(texts.count)
        times.append(seconds { for text in texts { made.append(MinHashSignature(text: text)) } })
        signatures = made
    }
    let sets = texts.map { ShingleSet($0) }
    var errors: [Double] = []
    for pair in pairs {
        let exact = exactJaccard(sets[pair[0]].hashes, sets[pair[1]].hashes)
        errors.append(abs(signatures[pair[0]].estimatedJaccard(signatures[pair[1]]) - exact))
    }
    let time = median(times)
    let result: [String: Any] = [
        "docs": texts.count, "docs_per_second": Double(texts.count) / time, "mb_per_second": Double(bytes) / 1e6 / time,
        "mae": errors.reduce(0, +) / Double(max(1, errors.count)), "pairs": errors.count,
    ]
    print(String(decoding: try JSONSerialization.data(withJSONObject: result, options: [.sortedKeys]), as: UTF8.self))
}

func exactJaccard(_ a: [UInt64], _ b: [UInt64]) -> Double {
    let left = Set(a)
    let right = Set(b)
    let shared = left.intersection(right).count
    let union = left.count + right.count - shared
    return union == 0 ? 0 : Double(shared) / Double(union)
}

func benchmarkZlib(_ arguments: [String]) throws {
    let field = option("--field", arguments, default: "text")
    let threads = Int(option("--threads", arguments, default: "2")) ?? 2
    let limit = Int(option("--limit", arguments, default: "100000")) ?? 100_000
    let rounds = Int(option("--rounds", arguments, default: "3")) ?? 3
    let level = Int32(option("--level", arguments, default: "6")) ?? 6
    let compressor = option("--compressor", arguments, default: "zlib")
    guard ["zlib", "libdeflate", "igzip", "igzip-fitted"].contains(compressor) else {
        let reason = "unknown compressor \(compressor)"
        throw CocoaError(.featureUnsupported, userInfo: [NSDebugDescriptionErrorKey: reason])
    }
    guard let file = FileHandle(forReadingAtPath: arguments[1]) else { throw CocoaError(.fileNoSuchFile) }
    var bodies: [[UInt8]] = []
    var pending = Data()
    reading: while bodies.count < limit {
        let chunk = file.readData(ofLength: 1 << 22)
        pending.append(chunk)
        while let newline = pending.firstIndex(of: UInt8(ascii: "\n")) {
            let line = pending[pending.startIndex..<newline]
            if let object = try JSONSerialization.jsonObject(with: line) as? [String: Any], let text = object[field] as? String {
                bodies.append(Array(text.utf8))
                if bodies.count >= limit { break reading }
            }
            pending = pending[(newline + 1)...]
        }
        if chunk.isEmpty { break }
    }
    let bytes = bodies.reduce(0) { $0 + $1.count }
    let loaded = bodies
    let shares = (0..<threads).map { thread in stride(from: thread, to: bodies.count, by: threads).map { $0 } }
    // Fitted once, outside the timing: the archive fits codes once a batch, to 512 KiB of it.
    let codes = compressor == "igzip-fitted" ? HuffmanCodes(fittedTo: bodies) : nil
    var times: [Double] = []
    let compressed = Mutex(0)
    for _ in 0..<rounds {
        times.append(seconds {
            DispatchQueue.concurrentPerform(iterations: threads) { thread in
                var sink = 0
                switch compressor {
                case "libdeflate":
                    let compressor = libdeflate_alloc_compressor(level)!
                    for index in shares[thread] { sink &+= libdeflateCompress(loaded[index], compressor: compressor) }
                    libdeflate_free_compressor(compressor)
                case "igzip", "igzip-fitted":
                    for index in shares[thread] { sink &+= archiveCompress(loaded[index], codes: codes) }
                default:
                    for index in shares[thread] { sink &+= zlibCompress(loaded[index], level: level) }
                }
                precondition(sink > 0)
                compressed.withLock { $0 = $0 + sink }
            }
        })
    }
    let time = median(times)
    let result: [String: Any] = [
        "compressor": compressor, "level": compressor.hasPrefix("igzip") ? (codes == nil ? 1 : 0) : Int(level),
        "compressed_bytes": compressed.withLock { $0 } / rounds,
        "bodies": bodies.count, "bytes": bytes, "threads": threads, "seconds": time,
        "mb_per_second": Double(bytes) / 1e6 / time, "bodies_per_second": Double(bodies.count) / time,
    ]
    print(String(decoding: try JSONSerialization.data(withJSONObject: result, options: [.sortedKeys]), as: UTF8.self))
}

let arguments = Array(CommandLine.arguments.dropFirst())
switch arguments.first {
case "zlib" where arguments.count >= 2:
    try benchmarkZlib(arguments)
case "clean" where arguments.count >= 2:
    try benchmarkClean(arguments)
case "lines" where arguments.count >= 2:
    try benchmarkLines(arguments)
case "minhash" where arguments.count >= 3:
    try benchmarkMinHash(arguments)
default:
    FileHandle.standardError.write(Data("""
        usage: archive-bench clean FILE.jsonl [--field raw_text] [--rounds 5]
               archive-bench lines FILE.jsonl [--field raw_text] [--rounds 5]
               archive-bench minhash DOCS.jsonl PAIRS.jsonl [--rounds 5]
               archive-bench zlib FILE.jsonl [--field text] [--threads 2] [--limit 100000] [--rounds 3] [--level 6]
                                 [--compressor zlib|libdeflate|igzip|igzip-fitted]

        """.utf8))
    exit(64)
}
