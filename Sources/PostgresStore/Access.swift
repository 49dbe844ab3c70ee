import Store

/// Who may see and write which organisations, enforced by PostgreSQL itself
/// (row-level security), so that it holds for every command of sovscan and
/// for plain SQL alike (docs/postgres.md, "Access per ministry").
///
/// A role granted an organisation (`access_grant`, kept by `sovscan access`)
/// reads that organisation and every one below it, as the organisations'
/// newest records place them, and writes snapshots of them when granted
/// `--write`. The database's owner (the Land) reads and writes everything:
/// PostgreSQL applies no policy to a table's owner.
enum Access {
    /// The migration `postgres-access-1`: the grants, the functions the
    /// policies ask (run as the owner, so that they see the whole tree), and
    /// a policy on every table that holds an organisation's inventory.
    static let statements: [String] = [
        """
        CREATE TABLE access_grant (
            role_name TEXT COLLATE "C" NOT NULL,
            org_id TEXT COLLATE "C" NOT NULL,
            can_write BIGINT NOT NULL CHECK (can_write IN (0, 1)),
            PRIMARY KEY (role_name, org_id))
        """,
        // The organisations the session's role reads (or, `for_writing`,
        // writes): those granted and every one below them, each placed by
        // its record in the latest scan that has it (by its newest record
        // while no scan has it yet). The functions run as the owner, name
        // every table with its schema, and take no name from their caller.
        """
        CREATE FUNCTION sovscan_organisations(for_writing boolean) RETURNS text[]
        LANGUAGE sql STABLE SECURITY DEFINER SET search_path = pg_catalog, pg_temp AS $$
            WITH RECURSIVE placed AS (
                SELECT DISTINCT ON (o.org_id) o.org_id, o.parent
                FROM public.organisation o LEFT JOIN public.scan_organisation so ON so.record_id = o.id
                ORDER BY o.org_id, so.scan_id DESC NULLS LAST, o.id DESC
            ), granted AS (
                SELECT org_id FROM public.access_grant WHERE role_name = session_user AND (can_write = 1 OR NOT for_writing)
                UNION
                SELECT placed.org_id FROM placed JOIN granted ON placed.parent = granted.org_id
            )
            SELECT coalesce(array_agg(org_id), '{}') FROM granted
        $$
        """,
        // Whether an organisation is stored, or named as another's parent:
        // either way it is placed already, and no role may claim it as new.
        """
        CREATE FUNCTION sovscan_known(wanted text) RETURNS boolean
        LANGUAGE sql STABLE SECURITY DEFINER SET search_path = pg_catalog, pg_temp AS $$
            SELECT EXISTS (SELECT 1 FROM public.organisation WHERE org_id = wanted OR parent = wanted)
                OR EXISTS (SELECT 1 FROM public.access_grant WHERE org_id = wanted)
        $$
        """,
        // Whether the session's role reads every organisation of a scan.
        """
        CREATE FUNCTION sovscan_reads_whole_scan(wanted bigint) RETURNS boolean
        LANGUAGE sql STABLE SECURITY DEFINER SET search_path = pg_catalog, pg_temp AS $$
            SELECT NOT EXISTS (
                SELECT 1 FROM public.scan_organisation so JOIN public.organisation o ON o.id = so.record_id
                WHERE so.scan_id = wanted AND NOT o.org_id = ANY (public.sovscan_organisations(false)))
        $$
        """,
        // The next id of one of the tables of records, over the rows no
        // policy lets the role see too. Only those tables, named with their
        // schema: a name of the caller's choosing would run its SQL as the owner.
        """
        CREATE FUNCTION sovscan_next_id(stored text) RETURNS bigint
        LANGUAGE plpgsql STABLE SECURITY DEFINER SET search_path = pg_catalog, pg_temp AS $$
        DECLARE following bigint;
        BEGIN
            IF stored NOT IN ('scan', 'organisation', 'system', 'assessment', 'finding_list', 'exit_set') THEN
                RAISE EXCEPTION 'sovscan_next_id: % is not a table of records', stored;
            END IF;
            EXECUTE format('SELECT coalesce(max(id), 0) + 1 FROM public.%I', stored) INTO following;
            RETURN following;
        END
        $$
        """,
        // The functions are the policies' and sovscan's: a role with a grant may run them (granted by `sovscan access grant`).
        "REVOKE EXECUTE ON FUNCTION \(firstFunctions) FROM PUBLIC",
    ] + policies

    /// A policy for reading and one for writing on each table of an
    /// organisation's inventory, by its `org_id`, or by the record it refers to.
    private static var policies: [String] {
        // The array a subquery gives (asked once per statement, not per row), cast so that ANY takes it as one array, not as a set of rows.
        let reads = "(CAST((SELECT sovscan_organisations(false)) AS text[]))", writes = "(CAST((SELECT sovscan_organisations(true)) AS text[]))"
        var statements: [String] = []
        func protect(_ table: String, reading: String, writing: String) {
            statements.append("ALTER TABLE \(table) ENABLE ROW LEVEL SECURITY")
            statements.append("CREATE POLICY reading ON \(table) FOR SELECT USING (\(reading))")
            statements.append("CREATE POLICY writing ON \(table) FOR INSERT WITH CHECK (\(writing))")
        }
        protect("organisation", reading: "org_id = ANY \(reads)",
                writing: "org_id = ANY \(writes) OR (parent = ANY \(writes) AND NOT sovscan_known(org_id))")
        for table in ["system", "organisation_score", "organisation_rule", "vendor_exposure", "organisation_question", "organisation_question_system"] {
            protect(table, reading: "org_id = ANY \(reads)", writing: "org_id = ANY \(writes)")
        }
        // Rows of a record: readable and written with a record the role reads (the record's own policy says which it may write).
        for (table, column, records) in [("system_subprocessor", "record_id", "system"), ("system_exception", "record_id", "system"),
                                         ("scan_system", "record_id", "system"), ("scan_organisation", "record_id", "organisation"),
                                         ("exit_window", "org_record_id", "organisation")] {
            let visible = "EXISTS (SELECT 1 FROM \(records) r WHERE r.id = \(column))"
            protect(table, reading: visible, writing: visible)
        }
        // A view reads with the rights of whoever queries it, so that its
        // tables' policies apply (by default it would read as its owner, past them).
        for view in ["scan_system_record", "system_list_value", "organisation_concentration", "assessment_finding"] {
            statements.append("ALTER VIEW \(view) SET (security_invoker = true)")
        }
        // A scan is listed to a role that reads one of its organisations; its
        // inputs, messages and parties only to one that reads all of them.
        protect("scan", reading: "EXISTS (SELECT 1 FROM scan_organisation so WHERE so.scan_id = id)", writing: "true")
        for table in ["scan_input", "scan_diagnostic", "scan_party"] {
            protect(table, reading: "sovscan_reads_whole_scan(scan_id)", writing: "true")
        }
        return statements
    }

    /// The functions of `postgres-access-1`.
    private static let firstFunctions = "sovscan_organisations(boolean), sovscan_known(text), sovscan_reads_whole_scan(bigint), sovscan_next_id(text)"
    /// The functions `postgres-access-2` adds.
    private static let sharedRowFunctions = "sovscan_scans_written_here(), sovscan_rule_sets_to_store(), sovscan_scans_read_whole()"
    /// sovscan's functions, which only the owner and the roles it grants run
    /// (`postgres-access-2` dropped `sovscan_reads_whole_scan`).
    static let functions = "sovscan_organisations(boolean), sovscan_known(text), sovscan_next_id(text), " + sharedRowFunctions

    /// The migration `postgres-access-2`: what a role granted `--write`
    /// adds that every role reads is checked by the server too. A row of
    /// detail (a list's findings, an assessment's questions, an exit set's
    /// windows, a scan's inputs, messages, parties and totals, a rule set's
    /// texts) goes only with a record written in the same transaction, so
    /// that nobody adds to a record others refer to; a rule set's rows only
    /// while no other transaction has stored that rule set. (A record that
    /// claims another's content hash is caught by the scan that would reuse
    /// it: ScanTransfer compares what it reuses.) The owner is held to
    /// nothing, as PostgreSQL holds a table's owner to no policy.
    static let sharedRowStatements: [String] = {
        // The transaction writing a row: a row it wrote has it as `xmin`.
        let here = "pg_current_xact_id()::xid"
        var statements = [
            // The scans this transaction writes (by a definer: a scan is
            // readable only once it has organisations, which come later).
            """
            CREATE FUNCTION sovscan_scans_written_here() RETURNS bigint[]
            LANGUAGE sql STABLE SECURITY DEFINER SET search_path = pg_catalog, pg_temp AS $$
                SELECT coalesce(array_agg(id), '{}') FROM public.scan WHERE xmin = \(here)
            $$
            """,
            // The rule sets of those scans of which no other transaction has stored a row.
            """
            CREATE FUNCTION sovscan_rule_sets_to_store() RETURNS text[]
            LANGUAGE sql STABLE SECURITY DEFINER SET search_path = pg_catalog, pg_temp AS $$
                SELECT coalesce(array_agg(DISTINCT s.ruleset_hash), '{}') FROM public.scan s
                WHERE s.xmin = \(here)
                    AND NOT EXISTS (SELECT 1 FROM public.ruleset_rule r WHERE r.ruleset_hash = s.ruleset_hash AND r.xmin <> \(here))
                    AND NOT EXISTS (SELECT 1 FROM public.ruleset_rule_translation r WHERE r.ruleset_hash = s.ruleset_hash AND r.xmin <> \(here))
                    AND NOT EXISTS (SELECT 1 FROM public.ruleset_country r WHERE r.ruleset_hash = s.ruleset_hash AND r.xmin <> \(here))
                    AND NOT EXISTS (SELECT 1 FROM public.ruleset_country_law r WHERE r.ruleset_hash = s.ruleset_hash AND r.xmin <> \(here))
            $$
            """,
            // The scans whose every organisation the session's role reads, at
            // once: asked per row, as `sovscan_reads_whole_scan` was, reading
            // 17,725 messages of a scan took a ministry's role 3.5 s.
            """
            CREATE FUNCTION sovscan_scans_read_whole() RETURNS bigint[]
            LANGUAGE sql STABLE SECURITY DEFINER SET search_path = pg_catalog, pg_temp AS $$
                WITH readable AS (SELECT public.sovscan_organisations(false) AS ids)
                SELECT coalesce(array_agg(s.id), '{}') FROM public.scan s, readable
                WHERE NOT EXISTS (
                    SELECT 1 FROM public.scan_organisation so JOIN public.organisation o ON o.id = so.record_id
                    WHERE so.scan_id = s.id AND NOT o.org_id = ANY (readable.ids))
            $$
            """,
            "REVOKE EXECUTE ON FUNCTION \(sharedRowFunctions) FROM PUBLIC",
            // The roles granted before run them too.
            """
            DO $$
            DECLARE granted text;
            BEGIN
                FOR granted IN SELECT DISTINCT role_name FROM access_grant LOOP
                    EXECUTE format('GRANT EXECUTE ON FUNCTION \(sharedRowFunctions) TO %I', granted);
                END LOOP;
            END
            $$
            """,
        ]
        let scans = "scan_id = ANY (CAST((SELECT sovscan_scans_written_here()) AS bigint[]))"
        /// Whether an organisation (its `org_id` column) is one the role writes.
        func writable(_ organisation: String) -> String {
            "\(organisation) = ANY (CAST((SELECT sovscan_organisations(true)) AS text[]))"
        }
        func rewrite(_ table: String, _ check: String) {
            statements.append("DROP POLICY writing ON \(table)")
            statements.append("CREATE POLICY writing ON \(table) FOR INSERT WITH CHECK (\(check))")
        }
        func protect(_ table: String, _ check: String) {
            statements.append("ALTER TABLE \(table) ENABLE ROW LEVEL SECURITY")
            statements.append("CREATE POLICY reading ON \(table) FOR SELECT USING (true)")
            statements.append("CREATE POLICY writing ON \(table) FOR INSERT WITH CHECK (\(check))")
        }
        for table in ["scan_input", "scan_diagnostic", "scan_party"] {
            rewrite(table, scans)
            statements.append("DROP POLICY reading ON \(table)")
            statements.append("CREATE POLICY reading ON \(table) FOR SELECT USING (scan_id = ANY (CAST((SELECT sovscan_scans_read_whole()) AS bigint[])))")
        }
        statements.append("DROP FUNCTION sovscan_reads_whole_scan(bigint)")
        for table in ["organisation_score", "organisation_rule", "vendor_exposure", "organisation_question", "organisation_question_system"] {
            rewrite(table, "\(writable("org_id")) AND \(scans)")
        }
        // A scan's rows name records of organisations the role writes (reading one is not enough).
        for (table, records) in [("scan_system", "system"), ("scan_organisation", "organisation")] {
            rewrite(table, "EXISTS (SELECT 1 FROM \(records) r WHERE r.id = record_id AND \(writable("r.org_id"))) AND \(scans)")
        }
        rewrite("exit_window", """
            EXISTS (SELECT 1 FROM organisation r WHERE r.id = org_record_id AND \(writable("r.org_id"))) \
            AND EXISTS (SELECT 1 FROM exit_set e WHERE e.id = set_id AND e.xmin = \(here))
            """)
        // A system record's rows go with the record, written in the same transaction.
        for table in ["system_subprocessor", "system_exception"] {
            rewrite(table, "EXISTS (SELECT 1 FROM system r WHERE r.id = record_id AND r.xmin = \(here))")
        }
        protect("finding_list_entry", "EXISTS (SELECT 1 FROM finding_list f WHERE f.id = list_id AND f.xmin = \(here))")
        protect("assessment_question", "EXISTS (SELECT 1 FROM assessment a WHERE a.id = assessment_id AND a.xmin = \(here))")
        for table in ["ruleset_rule", "ruleset_rule_translation", "ruleset_country", "ruleset_country_law"] {
            protect(table, "ruleset_hash = ANY (CAST((SELECT sovscan_rule_sets_to_store()) AS text[]))")
        }
        return statements
    }()

    /// The tables a scan writes, which a role granted `--write` may add rows to.
    static let written = [
        "scan", "scan_input", "scan_diagnostic", "organisation", "scan_organisation", "system", "system_subprocessor", "system_exception",
        "finding_list", "finding_list_entry", "assessment", "assessment_question", "scan_system", "ruleset_rule", "ruleset_rule_translation",
        "ruleset_country", "ruleset_country_law", "organisation_score", "organisation_rule", "vendor_exposure", "organisation_question",
        "organisation_question_system", "exit_set", "exit_window", "scan_party",
    ]
}

/// A role's grant, as `sovscan access list` shows it.
public struct AccessGrant: Sendable, Equatable {
    public var role: String
    public var organisation: String
    public var canWrite: Bool
}

extension SharedDatabase {
    /// Lets `role` (a login role the server has) read the organisation
    /// `organisation` and everything below it, and write their snapshots
    /// when `write` is set: the grant, and the privileges the role needs
    /// on the tables. Only the database's owner grants.
    public func grant(_ role: String, under organisation: String, write: Bool) throws {
        try transaction("BEGIN") {
            try requireOwner(to: "grant access")
            guard try session.value("SELECT EXISTS (SELECT 1 FROM pg_roles WHERE rolname = ?)", [role]) ?? false else {
                throw StoreError("the server has no role '\(role)'; create it first (createuser --pwprompt \(role)), then grant it access")
            }
            try session.execute("""
                INSERT INTO access_grant (role_name, org_id, can_write) VALUES (?, ?, ?)
                ON CONFLICT (role_name, org_id) DO UPDATE SET can_write = EXCLUDED.can_write
                """, [role, organisation, write])
            let name = Self.identifier(role)
            let database: String = try session.value("SELECT current_database()") ?? ""
            try session.execute("GRANT CONNECT ON DATABASE \(Self.identifier(database)) TO \(name)")
            try session.execute("GRANT USAGE ON SCHEMA public TO \(name)")
            try session.execute("GRANT EXECUTE ON FUNCTION \(Access.functions) TO \(name)")
            try session.execute("GRANT SELECT ON ALL TABLES IN SCHEMA public TO \(name)")
            try session.execute("REVOKE ALL ON access_grant FROM \(name)")
            let tables = Access.written.joined(separator: ", ")
            if try write || grantsWrite(role) {
                // A writer under row-level security stages its rows in temporary tables (see CopyIn).
                try session.execute("GRANT TEMPORARY ON DATABASE \(Self.identifier(database)) TO \(name)")
                try session.execute("GRANT INSERT ON \(tables) TO \(name)")
            } else {
                try session.execute("REVOKE INSERT ON \(tables) FROM \(name)")
            }
        }
    }

    /// Takes back a role's grant of `organisation`, or all of its grants;
    /// a role left with none loses its privileges on the tables.
    public func revoke(_ role: String, under organisation: String?) throws {
        try transaction("BEGIN") {
            try requireOwner(to: "revoke access")
            let matching = organisation == nil ? "role_name = ?" : "role_name = ? AND org_id = ?"
            let arguments: SQLArguments = [role] + (organisation.map { [$0] } ?? [])
            let removed: Int = try session.value("SELECT count(*) FROM access_grant WHERE \(matching)", arguments) ?? 0
            try session.execute("DELETE FROM access_grant WHERE \(matching)", arguments)
            guard removed > 0 else {
                throw StoreError("role '\(role)' has no grant\(organisation.map { " of '\($0)'" } ?? ""); 'sovscan access list' shows the grants")
            }
            let name = Self.identifier(role)
            let left: Int = try session.value("SELECT count(*) FROM access_grant WHERE role_name = ?", [role]) ?? 0
            if left == 0 {
                try session.execute("REVOKE ALL ON ALL TABLES IN SCHEMA public FROM \(name)")
                try session.execute("REVOKE EXECUTE ON FUNCTION \(Access.functions) FROM \(name)")
            } else if try !grantsWrite(role) {
                try session.execute("REVOKE INSERT ON \(Access.written.joined(separator: ", ")) FROM \(name)")
            }
        }
    }

    /// Every grant, by role and organisation.
    public func grants() throws -> [AccessGrant] {
        try transaction("BEGIN READ ONLY") {
            try requireOwner(to: "list access")
            return try session.rows("SELECT role_name, org_id, can_write FROM access_grant ORDER BY role_name, org_id").map {
                AccessGrant(role: $0[0], organisation: $0[1], canWrite: $0[2])
            }
        }
    }

    private func grantsWrite(_ role: String) throws -> Bool {
        try session.value("SELECT EXISTS (SELECT 1 FROM access_grant WHERE role_name = ? AND can_write = 1)", [role]) ?? false
    }

    func requireOwner(to act: String) throws {
        let owner: String = try session.value("SELECT tableowner FROM pg_tables WHERE schemaname = 'public' AND tablename = 'scan'") ?? ""
        let role: String = try session.value("SELECT current_user") ?? ""
        guard role == owner else {
            throw StoreError("only the database's owner ('\(owner)') may \(act); this is '\(role)'")
        }
    }

    /// A role or database name quoted as SQL writes a name.
    private static func identifier(_ name: String) -> String {
        "\"" + name.replacingOccurrences(of: "\"", with: "\"\"") + "\""
    }
}
