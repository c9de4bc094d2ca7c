import Testing
@testable import ArticleArchive

@Suite("Process memory")
struct ProcessMemoryTests {
    #if os(Linux)
    @Test("the mmap threshold is set where glibc allocates; live blocks keep their bytes when free pages go back")
    func allocatorSettings() {
        #expect(ProcessMemory.configured == !ProcessMemory.usesJemalloc)
        // Blocks above and below the thresholds, some freed: the live ones keep their bytes.
        var kept: [[UInt8]] = []
        for size in [100, 4096, 200_000, Int(ProcessMemory.mappingThreshold) * 2] {
            let dropped = [UInt8](repeating: 0xEE, count: size)
            kept.append([UInt8](repeating: UInt8(size % 251), count: size))
            #expect(dropped.count == size)
        }
        ProcessMemory.releaseFreePages()
        for block in kept { #expect(block.allSatisfy { $0 == UInt8(block.count % 251) }) }
    }
    #endif
}
