import Foundation

/// The schema of a PostgreSQL store: SQLite's, table for table and column
/// for column (docs/schema.md), in PostgreSQL's types. Text is compared
/// byte for byte (`COLLATE "C"`), as SQLite compares it, so that every
/// order a report shows is the same on both; flags stay integers (0 or 1),
/// as SQLite keeps them, so that the queries read alike. The references
/// between tables are kept by the writer, as SQLite's bulk writer keeps them
/// with its checks off: declared, PostgreSQL checked each of a scan's rows
/// against its referenced rows one at a time (2.5 s of a scan of 100,000
/// systems that took 8.2 s).
///
/// A migration keeps its name on both engines. A PostgreSQL store starts at
/// the schema SQLite reaches after `v1-snapshots` … `v9-rule-translations`,
/// created at once and recorded under those names; a migration after them
/// is written for each engine and appended to `migrations` here under the
/// name it has in Store's `Schema`.
enum SharedSchema {
    /// The migrations, each with the names it records.
    static let migrations: [(names: [String], statements: [String])] = [
        (names: ["v1-snapshots", "v2-scores", "v3-totals", "v4-finding-lists", "v5-dependence", "v6-exit-status",
                 "v7-unknown-points", "v8-scan-parties", "v9-rule-translations"],
         statements: schemaAtV9.components(separatedBy: ";\n").map { $0.trimmingCharacters(in: CharacterSet(charactersIn: "; \n")) }.filter { !$0.isEmpty }),
        (names: ["postgres-access-1"], statements: Access.statements),
        (names: ["postgres-access-2"], statements: Access.sharedRowStatements),
    ]

    /// The tables and views of SQLite's schema after v9.
    private static let schemaAtV9 = """
        CREATE TABLE scan (
            id BIGINT PRIMARY KEY,
            started_at TEXT COLLATE "C" NOT NULL,
            finished_at TEXT COLLATE "C" NOT NULL,
            as_of TEXT COLLATE "C" NOT NULL,
            tool_version TEXT COLLATE "C" NOT NULL,
            ruleset_name TEXT COLLATE "C" NOT NULL,
            ruleset_version TEXT COLLATE "C" NOT NULL,
            ruleset_hash TEXT COLLATE "C" NOT NULL,
            organisations BIGINT NOT NULL,
            systems BIGINT NOT NULL,
            profile TEXT COLLATE "C",
            exit_set_id BIGINT);

        CREATE TABLE scan_input (
            scan_id BIGINT NOT NULL,
            position BIGINT NOT NULL,
            path TEXT COLLATE "C" NOT NULL,
            sha256 TEXT COLLATE "C" NOT NULL,
            bytes BIGINT NOT NULL,
            PRIMARY KEY (scan_id, position)
        );

        CREATE TABLE scan_diagnostic (
            scan_id BIGINT NOT NULL,
            position BIGINT NOT NULL,
            file TEXT COLLATE "C" NOT NULL,
            line BIGINT NOT NULL,
            "column" BIGINT NOT NULL,
            severity TEXT COLLATE "C" NOT NULL,
            code TEXT COLLATE "C" NOT NULL,
            message TEXT COLLATE "C" NOT NULL,
            PRIMARY KEY (scan_id, position)
        );

        CREATE TABLE organisation (
            id BIGINT PRIMARY KEY,
            hash BYTEA NOT NULL UNIQUE,
            org_id TEXT COLLATE "C" NOT NULL,
            name TEXT COLLATE "C" NOT NULL,
            type TEXT COLLATE "C" NOT NULL,
            parent TEXT COLLATE "C",
            country TEXT COLLATE "C" NOT NULL,
            as_of TEXT COLLATE "C",
            has_inventory BIGINT NOT NULL
        );

        CREATE TABLE scan_organisation (
            scan_id BIGINT NOT NULL,
            record_id BIGINT NOT NULL,
            file TEXT COLLATE "C" NOT NULL,
            line BIGINT NOT NULL,
            PRIMARY KEY (scan_id, record_id)
        );

        CREATE TABLE system (
            id BIGINT PRIMARY KEY,
            hash BYTEA NOT NULL UNIQUE,
            org_id TEXT COLLATE "C" NOT NULL,
            system_id TEXT COLLATE "C" NOT NULL,
            name TEXT COLLATE "C" NOT NULL,
            function TEXT COLLATE "C" NOT NULL,
            product TEXT COLLATE "C" NOT NULL,
            vendor TEXT COLLATE "C" NOT NULL,
            operator TEXT COLLATE "C",
            deployment TEXT COLLATE "C" NOT NULL,
            hosting_provider TEXT COLLATE "C",
            hosting_data_location TEXT COLLATE "C",
            hosting_processing_location TEXT COLLATE "C",
            hosting_support_access TEXT COLLATE "C",
            licence TEXT COLLATE "C" NOT NULL,
            users BIGINT,
            criticality TEXT COLLATE "C" NOT NULL,
            data_personal BIGINT,
            data_special_categories BIGINT,
            data_classification TEXT COLLATE "C",
            formats TEXT COLLATE "C",
            interfaces TEXT COLLATE "C",
            export TEXT COLLATE "C",
            telemetry TEXT COLLATE "C",
            encryption_keys TEXT COLLATE "C",
            depends_on TEXT COLLATE "C" NOT NULL,
            contract_ends TEXT COLLATE "C",
            contract_notice_months BIGINT,
            contract_exit_plan BIGINT,
            contract_annual_cost_eur DOUBLE PRECISION,
            contract_governing_law TEXT COLLATE "C",
            substitutability TEXT COLLATE "C",
            alternatives TEXT COLLATE "C" NOT NULL,
            notes TEXT COLLATE "C"
        );

        CREATE INDEX system_by_inventory_id ON system(org_id, system_id);

        CREATE TABLE system_subprocessor (
            record_id BIGINT NOT NULL,
            position BIGINT NOT NULL,
            name TEXT COLLATE "C" NOT NULL,
            country TEXT COLLATE "C",
            PRIMARY KEY (record_id, position)
        );

        CREATE TABLE system_exception (
            record_id BIGINT NOT NULL,
            position BIGINT NOT NULL,
            rule TEXT COLLATE "C" NOT NULL,
            reason TEXT COLLATE "C" NOT NULL,
            owner TEXT COLLATE "C" NOT NULL,
            expires TEXT COLLATE "C" NOT NULL,
            PRIMARY KEY (record_id, position)
        );

        CREATE TABLE assessment (
            id BIGINT PRIMARY KEY,
            hash BYTEA NOT NULL UNIQUE,
            vendor TEXT COLLATE "C" NOT NULL,
            vendor_name TEXT COLLATE "C" NOT NULL,
            vendor_country TEXT COLLATE "C",
            lock_in BIGINT NOT NULL,
            lock_in_band TEXT COLLATE "C" NOT NULL,
            jurisdiction BIGINT NOT NULL,
            jurisdiction_band TEXT COLLATE "C" NOT NULL,
            unknown_answers BIGINT NOT NULL,
            personal_data_abroad BIGINT NOT NULL,
            finding_list_id BIGINT,
            personal_data BIGINT,
            personal_data_outside_bloc BIGINT,
            personal_data_foreign_law BIGINT,
            lock_in_unknown_points BIGINT,
            jurisdiction_unknown_points BIGINT);

        CREATE TABLE scan_system (
            scan_id BIGINT NOT NULL,
            record_id BIGINT NOT NULL,
            assessment_id BIGINT,
            PRIMARY KEY (scan_id, record_id)
        );

        CREATE TABLE ruleset_rule (
            ruleset_hash TEXT COLLATE "C" NOT NULL,
            rule TEXT COLLATE "C" NOT NULL,
            dimension TEXT COLLATE "C" NOT NULL,
            title TEXT COLLATE "C" NOT NULL,
            points BIGINT NOT NULL,
            rationale TEXT COLLATE "C" NOT NULL,
            sources TEXT COLLATE "C" NOT NULL,
            PRIMARY KEY (ruleset_hash, rule)
        );

        CREATE TABLE vendor_exposure (
            scan_id BIGINT NOT NULL,
            org_id TEXT COLLATE "C" NOT NULL,
            vendor TEXT COLLATE "C" NOT NULL,
            vendor_name TEXT COLLATE "C" NOT NULL,
            vendor_country TEXT COLLATE "C",
            systems BIGINT NOT NULL,
            users BIGINT NOT NULL,
            share DOUBLE PRECISION NOT NULL,
            lock_in_max BIGINT NOT NULL,
            lock_in_weighted DOUBLE PRECISION NOT NULL,
            jurisdiction_max BIGINT NOT NULL,
            jurisdiction_weighted DOUBLE PRECISION NOT NULL,
            weight BIGINT,
            lock_in_points BIGINT,
            jurisdiction_points BIGINT,
            critical_systems BIGINT,
            annual_cost_cents BIGINT,
            cost_stated BIGINT,
            personal_data BIGINT,
            personal_data_outside_bloc BIGINT,
            personal_data_foreign_law BIGINT,
            lock_in_unknown_points BIGINT,
            jurisdiction_unknown_points BIGINT,
            PRIMARY KEY (scan_id, org_id, vendor)
        );

        CREATE TABLE organisation_score (
            scan_id BIGINT NOT NULL,
            org_id TEXT COLLATE "C" NOT NULL,
            systems BIGINT NOT NULL,
            users BIGINT NOT NULL,
            weight BIGINT NOT NULL,
            lock_in_points BIGINT NOT NULL,
            jurisdiction_points BIGINT NOT NULL,
            lock_in_low BIGINT NOT NULL,
            lock_in_medium BIGINT NOT NULL,
            lock_in_high BIGINT NOT NULL,
            lock_in_critical BIGINT NOT NULL,
            jurisdiction_low BIGINT NOT NULL,
            jurisdiction_medium BIGINT NOT NULL,
            jurisdiction_high BIGINT NOT NULL,
            jurisdiction_critical BIGINT NOT NULL,
            personal_data_abroad BIGINT NOT NULL,
            unknown_answers BIGINT NOT NULL,
            critical_systems BIGINT,
            annual_cost_cents BIGINT,
            cost_stated BIGINT,
            personal_data BIGINT,
            personal_data_outside_bloc BIGINT,
            personal_data_foreign_law BIGINT,
            lock_in_unknown_points BIGINT,
            jurisdiction_unknown_points BIGINT,
            PRIMARY KEY (scan_id, org_id)
        );

        CREATE TABLE organisation_rule (
            scan_id BIGINT NOT NULL,
            org_id TEXT COLLATE "C" NOT NULL,
            rule TEXT COLLATE "C" NOT NULL,
            systems BIGINT NOT NULL,
            points BIGINT NOT NULL,
            PRIMARY KEY (scan_id, org_id, rule)
        );

        CREATE TABLE finding_list (
            id BIGINT PRIMARY KEY,
            hash BYTEA NOT NULL UNIQUE
        );

        CREATE TABLE finding_list_entry (
            list_id BIGINT NOT NULL,
            position BIGINT NOT NULL,
            rule TEXT COLLATE "C" NOT NULL,
            dimension TEXT COLLATE "C" NOT NULL,
            points BIGINT NOT NULL,
            accepted BIGINT NOT NULL,
            PRIMARY KEY (list_id, position)
        );

        CREATE TABLE ruleset_country (
            ruleset_hash TEXT COLLATE "C" NOT NULL,
            country TEXT COLLATE "C" NOT NULL,
            name TEXT COLLATE "C" NOT NULL,
            bloc TEXT COLLATE "C",
            PRIMARY KEY (ruleset_hash, country)
        );

        CREATE TABLE ruleset_country_law (
            ruleset_hash TEXT COLLATE "C" NOT NULL,
            country TEXT COLLATE "C" NOT NULL,
            law TEXT COLLATE "C" NOT NULL,
            name TEXT COLLATE "C" NOT NULL,
            PRIMARY KEY (ruleset_hash, country, law)
        );

        CREATE TABLE exit_set (
            id BIGINT PRIMARY KEY,
            hash BYTEA NOT NULL UNIQUE
        );

        CREATE TABLE exit_window (
            set_id BIGINT NOT NULL,
            act_by BIGINT NOT NULL,
            ends BIGINT NOT NULL,
            record_id BIGINT NOT NULL,
            org_record_id BIGINT NOT NULL,
            urgency BIGINT NOT NULL,
            PRIMARY KEY (set_id, act_by, record_id)
        );

        CREATE TABLE assessment_question (
            assessment_id BIGINT NOT NULL,
            question TEXT COLLATE "C" NOT NULL,
            lock_in_points BIGINT NOT NULL,
            jurisdiction_points BIGINT NOT NULL,
            PRIMARY KEY (assessment_id, question)
        );

        CREATE TABLE organisation_question (
            scan_id BIGINT NOT NULL,
            org_id TEXT COLLATE "C" NOT NULL,
            question TEXT COLLATE "C" NOT NULL,
            systems BIGINT NOT NULL,
            lock_in_points BIGINT NOT NULL,
            jurisdiction_points BIGINT NOT NULL,
            PRIMARY KEY (scan_id, org_id, question)
        );

        CREATE TABLE organisation_question_system (
            scan_id BIGINT NOT NULL,
            org_id TEXT COLLATE "C" NOT NULL,
            question TEXT COLLATE "C" NOT NULL,
            system_id TEXT COLLATE "C" NOT NULL,
            points BIGINT NOT NULL,
            PRIMARY KEY (scan_id, org_id, question, system_id)
        );

        CREATE TABLE scan_party (
            scan_id BIGINT NOT NULL,
            name TEXT COLLATE "C" NOT NULL,
            chain TEXT COLLATE "C" NOT NULL,
            investor TEXT COLLATE "C" NOT NULL,
            PRIMARY KEY (scan_id, name)
        );

        CREATE TABLE ruleset_rule_translation (
            ruleset_hash TEXT COLLATE "C" NOT NULL,
            rule TEXT COLLATE "C" NOT NULL,
            language TEXT COLLATE "C" NOT NULL,
            title TEXT COLLATE "C" NOT NULL,
            rationale TEXT COLLATE "C" NOT NULL,
            PRIMARY KEY (ruleset_hash, rule, language)
        );

        CREATE VIEW scan_system_record AS
            SELECT ss.scan_id, s.*
            FROM scan_system ss JOIN system s ON s.id = ss.record_id;

        CREATE VIEW system_list_value AS
            SELECT s.id AS record_id, l.field, j.position - 1 AS position, j.value
            FROM system s
            CROSS JOIN LATERAL (VALUES
                ('hosting.data_location', s.hosting_data_location), ('hosting.processing_location', s.hosting_processing_location),
                ('hosting.support_access', s.hosting_support_access), ('formats', s.formats), ('interfaces', s.interfaces),
                ('depends_on', s.depends_on), ('alternatives', s.alternatives)) AS l (field, list)
            CROSS JOIN LATERAL json_array_elements_text(CAST(l.list AS json)) WITH ORDINALITY AS j (value, position);

        CREATE VIEW organisation_concentration AS
            SELECT scan_id, org_id, sum(share * share) * 10000 AS hhi, count(*) AS vendors
            FROM vendor_exposure GROUP BY scan_id, org_id;

        CREATE VIEW assessment_finding AS
            SELECT a.id AS assessment_id, e.position, e.rule, e.dimension, e.points, e.accepted
            FROM assessment a JOIN finding_list_entry e ON e.list_id = a.finding_list_id;
        """
}
