// swift-tools-version:6.1
import PackageDescription

let package = Package(
    name: "sovscan",
    platforms: [.macOS(.v14)],
    products: [
        .executable(name: "sovscan", targets: ["sovscan"]),
    ],
    dependencies: [
        .package(url: "https://github.com/apple/swift-argument-parser", from: "1.5.0"),
        .package(url: "https://github.com/apple/swift-log", from: "1.6.0"),
        .package(url: "https://github.com/apple/swift-crypto", from: "3.12.0"),
        .package(url: "https://github.com/groue/GRDB.swift", from: "7.10.0"),
        .package(url: "https://github.com/x-sheep/swift-property-based", from: "2.0.0"),
        .package(url: "https://github.com/swiftcsv/SwiftCSV", from: "0.10.0"),
        .package(url: "https://github.com/hummingbird-project/swift-mustache", from: "2.0.0"),
        .package(url: "https://github.com/weichsel/ZIPFoundation", from: "0.9.20"),
        .package(url: "https://github.com/vapor/postgres-nio", from: "1.33.2"),
        .package(url: "https://github.com/apple/swift-nio", from: "2.101.2"),
        .package(url: "https://github.com/apple/swift-nio-ssl", from: "2.37.6"),
    ],
    targets: [
        // Stage 0: libyaml from the system, read as an event stream.
        .systemLibrary(
            name: "CYAML",
            pkgConfig: "yaml-0.1",
            providers: [.apt(["libyaml-dev"])]
        ),
        // libxml2 from the system, as Foundation's XML parser uses it: a
        // workbook's sheets read through its SAX interface, without an object per cell.
        .systemLibrary(
            name: "CXML2",
            pkgConfig: "libxml-2.0",
            providers: [.apt(["libxml2-dev"])]
        ),
        // zlib from the system (as ZIPFoundation links it), for the CRC-32 of a workbook's parts.
        .systemLibrary(
            name: "CZlibCRC",
            pkgConfig: "zlib",
            providers: [.apt(["zlib1g-dev"])]
        ),
        // The system libsqlite3 (as GRDB links it), for settings made before it starts.
        .systemLibrary(name: "CSQLite", providers: [.apt(["libsqlite3-dev"])]),
        // The vocabulary every stage shares: dates, source locations,
        // diagnostics and suggestions, dimensions, bands, criticality, content hashes.
        .target(name: "Domain", dependencies: [.product(name: "Crypto", package: "swift-crypto")]),
        // The two threading primitives the stages meet at: a bounded channel
        // of batches, and a task run on a thread of its own.
        .target(name: "Threads"),
        // Stage 1: YAML events -> located nodes and typed scalars.
        .target(name: "YAMLReading", dependencies: ["Domain", "Threads", "CYAML"]),
        // Stage 2: inventory files -> validated organisations and systems.
        .target(
            name: "Inventory",
            dependencies: ["Domain", "Threads", "YAMLReading", .product(name: "Crypto", package: "swift-crypto")]
        ),
        // Stage 2a: spreadsheets and CMDB exports -> inventory records (sovscan import).
        .target(name: "Import", dependencies: ["Domain", "Threads", "YAMLReading", "Inventory", "CXML2", "CZlibCRC", .product(name: "ZIPFoundation", package: "ZIPFoundation")]),
        // Stage 2b: the rule set in rules/ (countries, vendors, functions, licences).
        .target(
            name: "Catalogue",
            dependencies: ["Domain", "YAMLReading", "Inventory", .product(name: "Crypto", package: "swift-crypto")]
        ),
        // Stage 2c: facts, rules and scores.
        .target(name: "Scoring", dependencies: ["Domain", "YAMLReading", "Inventory", "Catalogue"]),
        // Stage 2d: the vendor catalogue as users ask it: list, one vendor, names nothing resolves.
        .target(name: "VendorViews", dependencies: ["Domain", "Inventory", "Catalogue", "Scoring", "Store"]),
        // Stage 3: snapshots behind the SnapshotStore protocol, on SQLite.
        .target(
            name: "Store",
            dependencies: [
                "Domain", "Threads", "Inventory", "Catalogue", "CSQLite",
                .product(name: "GRDB", package: "GRDB.swift"),
                .product(name: "GRDBSQLite", package: "GRDB.swift"),
                .product(name: "Crypto", package: "swift-crypto"),
            ]
        ),
        // Stage 3, on a PostgreSQL server shared by many agencies: the same
        // snapshots and queries behind the same protocol, through PostgresNIO.
        .target(
            name: "PostgresStore",
            dependencies: [
                "Domain", "Inventory", "Store", .product(name: "GRDB", package: "GRDB.swift"),
                .product(name: "PostgresNIO", package: "postgres-nio"), .product(name: "NIOPosix", package: "swift-nio"),
                .product(name: "NIOSSL", package: "swift-nio-ssl"), .product(name: "Logging", package: "swift-log"),
            ]
        ),
        // Stage 3b: the scan pipeline: read, check and score, then (scan) store.
        .target(name: "Scanning", dependencies: ["Domain", "Inventory", "Catalogue", "Scoring", "Store"]),
        // Stage 4: aggregates along the organisation tree.
        .target(name: "Reporting", dependencies: ["Domain", "Store"]),
        // Stage 5: change over time: history by as-of date, and diffs between scans.
        .target(name: "Tracking", dependencies: ["Domain", "Inventory", "Scoring", "Store", "Reporting"]),
        // Stage 5b: scenarios on a snapshot: a vendor or a country cut off,
        // a planned change scored beside the snapshot.
        .target(
            name: "Scenarios",
            dependencies: ["Domain", "YAMLReading", "Inventory", "Catalogue", "Scoring", "Store", "Scanning", "Reporting", "Tracking"]
        ),
        // Stage 6: every output, one closed list of formats behind one
        // protocol: a renderer takes a computed model and returns bytes.
        .target(
            name: "Output",
            dependencies: [
                "Domain", "Catalogue", "Scoring", "Store", "Reporting", "Tracking", "Scenarios", "VendorViews", "Import",
                .product(name: "Mustache", package: "swift-mustache"), .product(name: "ZIPFoundation", package: "ZIPFoundation"),
            ]
        ),
        .executableTarget(
            name: "sovscan",
            dependencies: [
                "Domain", "Inventory", "Catalogue", "Scoring", "Store", "Scanning", "Reporting", "Tracking", "Scenarios", "VendorViews",
                "Import", "Output", "PostgresStore", .product(name: "ArgumentParser", package: "swift-argument-parser"),
                .product(name: "Logging", package: "swift-log"),
            ]
        ),
        // Fuzz targets for the YAML readers; see docs/security.md.
        .executableTarget(
            name: "sovscan-fuzz",
            dependencies: ["Domain", "Inventory", "Catalogue", "Scoring", "Scanning"],
            path: "Sources/sovscan-fuzz"
        ),
        .testTarget(
            name: "SovscanTests",
            dependencies: [
                "Domain", "YAMLReading", "Inventory", "Catalogue", "Scoring", "Store", "Scanning", "Reporting", "Tracking", "Scenarios",
                "VendorViews", "Import", "Output", "PostgresStore",
                .product(name: "GRDB", package: "GRDB.swift"),
                .product(name: "PropertyBased", package: "swift-property-based"),
                .product(name: "SwiftCSV", package: "SwiftCSV"),
            ]
        ),
    ]
)
