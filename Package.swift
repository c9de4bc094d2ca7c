// swift-tools-version: 6.2
import PackageDescription

let package = Package(
    name: "ArticleArchive",
    products: [
        .library(name: "ArticleArchive", targets: ["ArticleArchive"]),
        .executable(name: "archive", targets: ["archive"]),
    ],
    dependencies: [
        .package(url: "https://github.com/apple/swift-argument-parser", from: "1.8.2"),
        .package(url: "https://github.com/groue/GRDB.swift", from: "7.10.0"),
        .package(url: "https://github.com/apple/swift-crypto", from: "4.5.2"),
        .package(url: "https://github.com/apple/swift-log", from: "1.16.2"),
    ],
    targets: [
        .systemLibrary(name: "CZlib", path: "Sources/CZlib"),
        .systemLibrary(name: "CLibDeflate", path: "Sources/CLibDeflate"),
        .systemLibrary(name: "CISAL", path: "Sources/CISAL"),
        .systemLibrary(name: "CMalloc", path: "Sources/CMalloc"),
        .systemLibrary(name: "CPrefetch", path: "Sources/CPrefetch"),
        .systemLibrary(name: "CSQLiteConfig", path: "Sources/CSQLiteConfig"),
        .target(
            name: "CJemalloc",
            path: "Sources/CJemalloc",
            linkerSettings: [.linkedLibrary("jemalloc", .when(platforms: [.linux]))]
        ),
        .target(
            name: "ArticleArchive",
            dependencies: [
                "CZlib",
                "CLibDeflate",
                "CISAL",
                "CMalloc",
                "CPrefetch",
                "CSQLiteConfig",
                .product(name: "GRDB", package: "GRDB.swift"),
                .product(name: "GRDBSQLite", package: "GRDB.swift"),
                .product(name: "Crypto", package: "swift-crypto"),
                .product(name: "Logging", package: "swift-log"),
            ]
        ),
        .executableTarget(
            name: "archive",
            dependencies: [
                "ArticleArchive",
                "CJemalloc",
                .product(name: "ArgumentParser", package: "swift-argument-parser"),
                .product(name: "Logging", package: "swift-log"),
            ]
        ),
        .executableTarget(
            name: "archive-bench",
            dependencies: ["ArticleArchive", "CZlib", "CLibDeflate"],
            path: "benchmarks/Sources/ArchiveBench"
        ),
        .target(
            name: "TestSupport",
            path: "Tests/TestSupport"
        ),
        .testTarget(
            name: "ArticleArchiveTests",
            dependencies: ["ArticleArchive", "TestSupport"],
            exclude: ["Fixtures"]
        ),
        .testTarget(
            name: "ArchiveCLITests",
            dependencies: ["archive", "TestSupport"]
        ),
    ],
    swiftLanguageModes: [.v6]
)
