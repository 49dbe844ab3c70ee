import Foundation
import GRDB
import NIOCore
import PostgresNIO
import Store

/// One scan, as the store's own writer recorded it in a scratch SQLite
/// database, moved into PostgreSQL inside the server's transaction: every
/// record the server holds already (by its content hash) is referred to
/// by the server's id, every other one takes the next id and comes with its
/// rows of detail, and the scan's own rows follow with their ids mapped.
/// Written so, a scan on PostgreSQL is stored by the same code as on SQLite
/// (the same records, scores, totals and exit windows), and its bulk goes in
/// with COPY.
struct ScanTransfer {
    let scratch: any SQLConnection
    let server: PostgresSession

    /// Scratch id → server id, per content-addressed table.
    private var ids: [String: [Int64: Int64]] = [:]

    init(from scratch: any SQLConnection, to server: PostgresSession) {
        self.scratch = scratch
        self.server = server
    }

    /// Moves the scratch database's one scan; the server's id for it.
    mutating func run() throws -> Int64 {
        try checkWritable()
        // As RowDigest writes a blob.
        try server.execute("SET LOCAL bytea_output = 'hex'", [])
        if let nul = try scratch.firstTextWithNUL(in: ["organisation", "system", "system_subprocessor", "system_exception", "scan_diagnostic", "scan_input"]) {
            throw StoreError("a value of \(nul.table).\(nul.column) holds a NUL character (\\0), which PostgreSQL cannot store; nothing was stored. Remove it from the inventory")
        }
        try intern("finding_list", details: [("finding_list_entry", "list_id", "list_id, position")])
        try intern("assessment", mapping: ["finding_list_id": "finding_list"],
                   details: [("assessment_question", "assessment_id", "assessment_id, question")])
        try intern("organisation", details: [], rounds: Self.parentsFirst)
        try intern("system", details: [("system_subprocessor", "record_id", "record_id, position"),
                                                      ("system_exception", "record_id", "record_id, position")])
        try internExitSets()
        let scanID = try nextID(of: "scan")
        ids["scan"] = [try scratch.value("SELECT id FROM scan") ?? 1: scanID]
        try move("scan", order: "id", mapping: ["id": "scan", "exit_set_id": "exit_set"])
        for (table, order) in [("scan_input", "position"), ("scan_diagnostic", "position"), ("scan_party", "name"),
                               ("organisation_score", "org_id"), ("organisation_rule", "org_id, rule"), ("vendor_exposure", "org_id, vendor"),
                               ("organisation_question", "org_id, question"), ("organisation_question_system", "org_id, question, system_id")] {
            try move(table, order: order, mapping: ["scan_id": "scan"])
        }
        try move("scan_organisation", order: "record_id", mapping: ["scan_id": "scan", "record_id": "organisation"])
        try move("scan_system", order: "record_id", mapping: ["scan_id": "scan", "record_id": "system", "assessment_id": "assessment"])
        try storeRuleSet()
        return scanID
    }

    /// The next id of a table on the server: ids follow one another as
    /// SQLite's do, and the transaction's lock makes them this scan's.
    private func nextID(of table: String) throws -> Int64 {
        // Over every row, also those no policy lets this role read.
        try server.value("SELECT sovscan_next_id(?)", [table]) ?? 1
    }

    /// A role that writes under row-level security may write the snapshots
    /// of its organisations only: a scan that reads another is refused here,
    /// in words, before the policies would refuse its first row.
    private func checkWritable() throws {
        guard try server.value("SELECT row_security_active('organisation')") ?? false else { return }
        let writable = Set(try server.value("SELECT array_to_string(sovscan_organisations(true), ',')")
            .map { (list: String) in list.split(separator: ",").map(String.init) } ?? [])
        var parents: [String: String?] = [:]
        try scratch.forEachRow("SELECT org_id, parent FROM organisation", []) { row in parents[row[0]] = row[1] as String? }
        // A new organisation under one the role writes is its to add, and so,
        // in turn, one below that (a new department with its units).
        var added: Set<String> = []
        var grown = true
        while grown {
            grown = false
            for (organisation, parent) in parents where !writable.contains(organisation) && !added.contains(organisation) {
                guard let parent, writable.contains(parent) || added.contains(parent),
                      try !(server.value("SELECT sovscan_known(?)", [organisation]) ?? true) else { continue }
                added.insert(organisation)
                grown = true
            }
        }
        let refused = parents.keys.filter { !writable.contains($0) && !added.contains($0) }.sorted()
        guard refused.isEmpty else {
            let role: String = try server.value("SELECT session_user") ?? ""
            let may = writable.isEmpty ? "may write no organisation's snapshots"
                : "may write the snapshots of the organisations \(writable.sorted().joined(separator: ", ")) only"
            throw StoreError("""
                role '\(role)' \(may); this scan reads \(refused.map { "'\($0)'" }.joined(separator: ", ")); \
                nothing was stored (the database's owner grants more with 'sovscan access grant ROLE --under ORG --write')
                """)
        }
    }

    /// The records of a content-addressed table: the server's id for those it
    /// holds, the next ids for the others, which go in with their `details`
    /// (a table, its column naming the record, the order of its rows). The
    /// records it holds are compared with the scan's first: any role that
    /// writes may have stored one, under any hash.
    private mutating func intern(_ table: String, mapping: [String: String] = [:],
                                 details: [(table: String, column: String, order: String)],
                                 rounds: (_ scratch: any SQLConnection, _ added: Set<Int64>) throws -> [Set<Int64>] = { [$1] }) throws {
        var hashes: [Int64: Data] = [:]
        try scratch.forEachRow("SELECT id, hash FROM \(table)", []) { row in hashes[row[0]] = row[1] }
        let held = try server.ids(in: table, hashes: Array(hashes.values))
        var map: [Int64: Int64] = [:], added: Set<Int64> = []
        var next = try nextID(of: table)
        for (scratchID, hash) in hashes.sorted(by: { $0.key < $1.key }) {
            if let id = held[hash] {
                map[scratchID] = id
            } else {
                map[scratchID] = next
                added.insert(scratchID)
                next += 1
            }
        }
        ids[table] = map
        let reused = Set(hashes.keys).subtracting(added)
        try compareReused(table, column: "id", order: "id", mapping: mapping.merging(["id": table]) { $1 }, reused: reused, record: table)
        for round in try rounds(scratch, added) {
            try move(table, order: "id", mapping: mapping.merging(["id": table]) { $1 }, only: ("id", round))
        }
        for detail in details {
            try compareReused(detail.table, column: detail.column, order: detail.order, mapping: [detail.column: table], reused: reused, record: table)
            try move(detail.table, order: detail.order, mapping: [detail.column: table], only: (detail.column, added))
        }
    }

    /// New organisation records by depth, parents first, a statement each:
    /// the policies ask once per statement which organisations a role
    /// writes, and one below an organisation new in this scan is the role's
    /// once that one is stored.
    private static func parentsFirst(_ scratch: any SQLConnection, _ added: Set<Int64>) throws -> [Set<Int64>] {
        var records: [String: (id: Int64, parent: String?)] = [:]
        try scratch.forEachRow("SELECT id, org_id, parent FROM organisation", []) { row in
            if added.contains(row[0]) { records[row[1]] = (row[0], row[2]) }
        }
        func depth(_ organisation: String, _ seen: Int = 0) -> Int {
            guard seen < records.count, let parent = records[organisation]?.parent, records[parent] != nil else { return 0 }
            return depth(parent, seen + 1) + 1
        }
        var rounds: [Int: Set<Int64>] = [:]
        for (organisation, record) in records { rounds[depth(organisation), default: []].insert(record.id) }
        return rounds.keys.sorted().map { rounds[$0]! }
    }

    /// Checks that the records the scan reuses (by content hash) hold on the
    /// server what they hold in the scan: their rows of `table` (those whose
    /// `column` names one of them) alike, with ids mapped. Each is written
    /// once and read by every organisation that has the same; a record that
    /// claims another's hash was not written by sovscan, and the scan stops
    /// rather than refer to it.
    private func compareReused(_ table: String, column: String, order: String, mapping: [String: String],
                               reused: Set<Int64>, record: String) throws {
        guard !reused.isEmpty else { return }
        // The hash is what the record was found by.
        let columns = try scratch.columns(of: table).filter { $0 != "hash" }
        let listed = columns.map { "\"\($0)\"" }.joined(separator: ", ")
        let key = columns.firstIndex(of: column)!
        let mapped = columns.enumerated().compactMap { index, column in mapping[column].map { (index, ids[$0] ?? [:]) } }
        var expected: [Int64: [[DatabaseValue]]] = [:]
        try scratch.forEachRow("SELECT \(listed) FROM \(table) ORDER BY \(column), \(order)", []) { row in
            var values = row.databaseValues
            guard let id = Int64.fromDatabaseValue(values[key]), reused.contains(id) else { return }
            for (index, map) in mapped {
                if let id = Int64.fromDatabaseValue(values[index]), let serverID = map[id] { values[index] = serverID.databaseValue }
            }
            expected[Int64.fromDatabaseValue(values[key])!, default: []].append(values)
        }
        let serverIDs = reused.compactMap { ids[record]?[$0] }
        let chosen = ["{" + serverIDs.map(String.init).joined(separator: ",") + "}"]
        // Compared as one digest of the rows (RowDigest), taken by the server: a
        // rescan of 100,000 systems reuses about 500,000 such rows.
        let floating = Set(try server.values("""
            SELECT column_name FROM information_schema.columns
            WHERE table_schema = current_schema() AND table_name = ? AND data_type = 'double precision'
            """, [table]) as [String])
        var digest = RowDigest(floating: Set(columns.indices.filter { floating.contains(columns[$0]) }))
        for id in expected.keys.sorted() {
            for row in expected[id]! { digest.add(row) }
        }
        // Joined rather than `= ANY (…)`, which PostgreSQL may test row by row against every id.
        let source = "\(table) JOIN unnest(CAST(? AS bigint[])) AS chosen (chosen_id) ON \(column) = chosen_id"
        guard try server.value(RowDigest.sql(columns: columns, floating: floating, source: source, order: "\(column), \(order)"), chosen) != digest.hex
        else { return }
        // They differ: the first record that does, by its rows' bytes (as the digest takes them).
        var held: [Int64: [[UInt8]]] = [:]
        try server.forEachRow("SELECT \(listed) FROM \(source) ORDER BY \(column), \(order)", chosen) { row in
            let values = row.databaseValues
            held[Int64.fromDatabaseValue(values[key])!, default: []].append(digest.bytes(of: values))
        }
        let differing = serverIDs.sorted().first { held[$0] ?? [] != (expected[$0] ?? []).map(digest.bytes) }
        throw Self.forged(differing.map { "\(record) \(String($0))" } ?? "one of the \(record) records this scan reuses", table: table)
    }

    /// Why a scan stops at a stored record that is not what its content hash says.
    private static func forged(_ record: String, table: String) -> StoreError {
        StoreError("""
            the server holds \(record) under the content hash of one of this scan's, but its rows of \(table) differ: \
            it was not written by sovscan, and this scan would refer to it; nothing was stored. \
            The database's owner should look at it (docs/postgres.md, "Access per ministry")
            """)
    }

    /// The exit set of the scan by the hash of its windows with the server's
    /// record ids: the set the server holds when it has the same, else a new one.
    private mutating func internExitSets() throws {
        var map: [Int64: Int64] = [:]
        var next = try nextID(of: "exit_set")
        for set in try scratch.values("SELECT id FROM exit_set ORDER BY id") as [Int64] {
            var windows: [(actBy: Int64, ends: Int64, record: Int64, organisationRecord: Int64, urgency: Int64)] = []
            try scratch.forEachRow("SELECT act_by, ends, record_id, org_record_id, urgency FROM exit_window WHERE set_id = ?", [set]) { row in
                windows.append((row[0], row[1], ids["system"]![row[2]]!, ids["organisation"]![row[3]]!, row[4]))
            }
            windows.sort { ($0.actBy, $0.record) < ($1.actBy, $1.record) }
            let hash = ExitSet.hash(count: windows.count) { windows[$0] }
            if let held = try server.ids(in: "exit_set", hashes: [hash])[hash] {
                var expected = RowDigest()
                for window in windows {
                    expected.add([window.actBy, window.ends, window.record, window.organisationRecord, window.urgency].map(\.databaseValue))
                }
                let stored: String? = try server.value(RowDigest.sql(columns: ["act_by", "ends", "record_id", "org_record_id", "urgency"],
                                                                     source: "exit_window WHERE set_id = ?", order: "act_by, record_id"), [held])
                guard stored == expected.hex else { throw Self.forged("exit set \(held)", table: "exit_window") }
                map[set] = held
                continue
            }
            map[set] = next
            try server.execute("INSERT INTO exit_set (id, hash) VALUES (?, ?)", [next, hash])
            try CopyIn(session: server).load("exit_window", columns: ["set_id", "act_by", "ends", "record_id", "org_record_id", "urgency"]) { add in
                for window in windows {
                    try add([next, window.actBy, window.ends, window.record, window.organisationRecord, window.urgency].map(\.databaseValue))
                }
            }
            next += 1
        }
        ids["exit_set"] = map
    }

    /// Copies a table's rows (of `only` those whose column holds one of the
    /// ids, when given) with the columns of `mapping` turned into the server's ids.
    private func move(_ table: String, order: String, mapping: [String: String], only: (column: String, ids: Set<Int64>)? = nil) throws {
        if let only, only.ids.isEmpty { return }
        let columns = try scratch.columns(of: table)
        let mapped = columns.enumerated().compactMap { index, column in mapping[column].map { (index, ids[$0] ?? [:]) } }
        let filter = only.flatMap { columns.firstIndex(of: $0.column) }
        try CopyIn(session: server).load(table, columns: columns) { add in
            try scratch.forEachRow("SELECT \(columns.map { "\"\($0)\"" }.joined(separator: ", ")) FROM \(table) ORDER BY \(order)", []) { row in
                var values = row.databaseValues
                if let filter, let only, let id = Int64.fromDatabaseValue(values[filter]), !only.ids.contains(id) { return }
                for (index, map) in mapped {
                    guard let id = Int64.fromDatabaseValue(values[index]) else { continue }
                    guard let serverID = map[id] else {
                        throw StoreError("the scan's \(table).\(columns[index]) refers to \(id), which it did not store; nothing was stored")
                    }
                    values[index] = serverID.databaseValue
                }
                try add(values)
            }
        }
    }

    /// The scan's rule set: every row when the server does not hold it yet
    /// (its rows are shared by every scan with that rule set). When it does,
    /// each row it holds must be the scan's; rows it lacks (tables a rule set
    /// stored by an older sovscan did not fill) are added by the owner, not by
    /// a role under row-level security, which may add to no other's rule set.
    private func storeRuleSet() throws {
        let hash: String = try scratch.value("SELECT ruleset_hash FROM scan") ?? ""
        let tables = ["ruleset_rule", "ruleset_rule_translation", "ruleset_country", "ruleset_country_law"]
        let stored: Bool = try server.value(
            "SELECT " + tables.map { "EXISTS (SELECT 1 FROM \($0) WHERE ruleset_hash = ?1)" }.joined(separator: " OR "), [hash]) ?? false
        for table in tables {
            let columns = try scratch.columns(of: table)
            let listed = columns.map { "\"\($0)\"" }.joined(separator: ", ")
            let rows = try scratch.rows("SELECT \(listed) FROM \(table)").map(\.databaseValues)
            if stored {
                // Byte for byte, as the digest compares.
                let digest = RowDigest()
                let expected = Set(rows.map(digest.bytes))
                var foreign = false
                try server.forEachRow("SELECT \(listed) FROM \(table) WHERE ruleset_hash = ?", [hash]) { row in
                    if !expected.contains(digest.bytes(of: row.databaseValues)) { foreign = true }
                }
                if foreign { throw Self.forged("rule set \(hash)", table: table) }
                if try server.value("SELECT row_security_active(?)", [table]) ?? false { continue }
            }
            let insert = "INSERT INTO \(table) (\(listed)) VALUES (\(columns.map { _ in "?" }.joined(separator: ", "))) ON CONFLICT DO NOTHING"
            for row in rows {
                try server.execute(insert, row)
            }
        }
    }
}

extension PostgresSession {
    /// The ids of the rows of a content-addressed table that have these hashes.
    func ids(in table: String, hashes: [Data]) throws -> [Data: Int64] {
        var ids: [Data: Int64] = [:]
        for start in stride(from: 0, to: hashes.count, by: 10_000) {
            var bindings = PostgresBindings()
            bindings.append(hashes[start..<min(start + 10_000, hashes.count)].map { ByteBuffer(bytes: $0) })
            let rows = try run(PostgresQuery(unsafeSQL: "SELECT hash, id FROM \(table) WHERE hash = ANY($1)", binds: bindings))
            for row in rows.rows {
                let (hash, id) = try row.decode((ByteBuffer, Int64).self)
                ids[Data(hash.readableBytesView)] = id
            }
        }
        return ids
    }
}
