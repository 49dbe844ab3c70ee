import Foundation
import GRDB

/// The database schema, as named migrations. A migration is never edited once
/// shipped: a change of schema is a new migration appended here, and
/// docs/schema.md says what it changed.
enum Schema {
    /// `PRAGMA application_id` of a sovscan database ("SOVS").
    static let applicationID: Int32 = 0x534F_5653

    static var migrator: DatabaseMigrator {
        var migrator = DatabaseMigrator()
        migrator.registerMigration("v1-snapshots") { db in
            try db.execute(sql: "PRAGMA application_id = \(applicationID)")
            try db.execute(sql: """
                CREATE TABLE scan (
                    id INTEGER PRIMARY KEY,
                    started_at TEXT NOT NULL,
                    finished_at TEXT NOT NULL,
                    as_of TEXT NOT NULL,
                    tool_version TEXT NOT NULL,
                    ruleset_name TEXT NOT NULL,
                    ruleset_version TEXT NOT NULL,
                    ruleset_hash TEXT NOT NULL,
                    organisations INTEGER NOT NULL,
                    systems INTEGER NOT NULL
                );
                CREATE TABLE scan_input (
                    scan_id INTEGER NOT NULL REFERENCES scan(id),
                    position INTEGER NOT NULL,
                    path TEXT NOT NULL,
                    sha256 TEXT NOT NULL,
                    bytes INTEGER NOT NULL,
                    PRIMARY KEY (scan_id, position)
                ) WITHOUT ROWID;
                CREATE TABLE scan_diagnostic (
                    scan_id INTEGER NOT NULL REFERENCES scan(id),
                    position INTEGER NOT NULL,
                    file TEXT NOT NULL,
                    line INTEGER NOT NULL,
                    "column" INTEGER NOT NULL,
                    severity TEXT NOT NULL,
                    code TEXT NOT NULL,
                    message TEXT NOT NULL,
                    PRIMARY KEY (scan_id, position)
                ) WITHOUT ROWID;
                CREATE TABLE organisation (
                    id INTEGER PRIMARY KEY,
                    hash BLOB NOT NULL UNIQUE,
                    org_id TEXT NOT NULL,
                    name TEXT NOT NULL,
                    type TEXT NOT NULL,
                    parent TEXT,
                    country TEXT NOT NULL,
                    as_of TEXT,
                    has_inventory INTEGER NOT NULL
                );
                CREATE TABLE scan_organisation (
                    scan_id INTEGER NOT NULL REFERENCES scan(id),
                    record_id INTEGER NOT NULL REFERENCES organisation(id),
                    file TEXT NOT NULL,
                    line INTEGER NOT NULL,
                    PRIMARY KEY (scan_id, record_id)
                ) WITHOUT ROWID;
                CREATE TABLE system (
                    id INTEGER PRIMARY KEY,
                    hash BLOB NOT NULL UNIQUE,
                    org_id TEXT NOT NULL,
                    system_id TEXT NOT NULL,
                    name TEXT NOT NULL,
                    function TEXT NOT NULL,
                    product TEXT NOT NULL,
                    vendor TEXT NOT NULL,
                    operator TEXT,
                    deployment TEXT NOT NULL,
                    hosting_provider TEXT,
                    hosting_data_location TEXT,
                    hosting_processing_location TEXT,
                    hosting_support_access TEXT,
                    licence TEXT NOT NULL,
                    users INTEGER,
                    criticality TEXT NOT NULL,
                    data_personal INTEGER,
                    data_special_categories INTEGER,
                    data_classification TEXT,
                    formats TEXT,
                    interfaces TEXT,
                    export TEXT,
                    telemetry TEXT,
                    encryption_keys TEXT,
                    depends_on TEXT NOT NULL,
                    contract_ends TEXT,
                    contract_notice_months INTEGER,
                    contract_exit_plan INTEGER,
                    contract_annual_cost_eur REAL,
                    contract_governing_law TEXT,
                    substitutability TEXT,
                    alternatives TEXT NOT NULL,
                    notes TEXT
                );
                CREATE INDEX system_by_inventory_id ON system(org_id, system_id);
                CREATE TABLE system_subprocessor (
                    record_id INTEGER NOT NULL REFERENCES system(id),
                    position INTEGER NOT NULL,
                    name TEXT NOT NULL,
                    country TEXT,
                    PRIMARY KEY (record_id, position)
                ) WITHOUT ROWID;
                CREATE TABLE system_exception (
                    record_id INTEGER NOT NULL REFERENCES system(id),
                    position INTEGER NOT NULL,
                    rule TEXT NOT NULL,
                    reason TEXT NOT NULL,
                    owner TEXT NOT NULL,
                    expires TEXT NOT NULL,
                    PRIMARY KEY (record_id, position)
                ) WITHOUT ROWID;
                CREATE TABLE scan_system (
                    scan_id INTEGER NOT NULL REFERENCES scan(id),
                    record_id INTEGER NOT NULL REFERENCES system(id),
                    PRIMARY KEY (scan_id, record_id)
                ) WITHOUT ROWID;

                -- Every system of every scan, with the scan it belongs to.
                CREATE VIEW scan_system_record AS
                    SELECT ss.scan_id, s.*
                    FROM scan_system ss JOIN system s ON s.id = ss.record_id;
                -- The list-valued fields of systems, one row per value.
                CREATE VIEW system_list_value AS
                    SELECT s.id AS record_id, 'hosting.data_location' AS field, j.key AS position, j.value AS value
                        FROM system s, json_each(s.hosting_data_location) j
                    UNION ALL SELECT s.id, 'hosting.processing_location', j.key, j.value
                        FROM system s, json_each(s.hosting_processing_location) j
                    UNION ALL SELECT s.id, 'hosting.support_access', j.key, j.value
                        FROM system s, json_each(s.hosting_support_access) j
                    UNION ALL SELECT s.id, 'formats', j.key, j.value FROM system s, json_each(s.formats) j
                    UNION ALL SELECT s.id, 'interfaces', j.key, j.value FROM system s, json_each(s.interfaces) j
                    UNION ALL SELECT s.id, 'depends_on', j.key, j.value FROM system s, json_each(s.depends_on) j
                    UNION ALL SELECT s.id, 'alternatives', j.key, j.value FROM system s, json_each(s.alternatives) j;
                """)
        }
        migrator.registerMigration("v2-scores") { db in
            try db.execute(sql: """
                ALTER TABLE scan ADD COLUMN profile TEXT;
                CREATE TABLE assessment (
                    id INTEGER PRIMARY KEY,
                    hash BLOB NOT NULL UNIQUE,
                    vendor TEXT NOT NULL,
                    vendor_name TEXT NOT NULL,
                    vendor_country TEXT,
                    lock_in INTEGER NOT NULL,
                    lock_in_band TEXT NOT NULL,
                    jurisdiction INTEGER NOT NULL,
                    jurisdiction_band TEXT NOT NULL,
                    unknown_answers INTEGER NOT NULL,
                    personal_data_abroad INTEGER NOT NULL
                );
                CREATE TABLE assessment_finding (
                    assessment_id INTEGER NOT NULL REFERENCES assessment(id),
                    position INTEGER NOT NULL,
                    rule TEXT NOT NULL,
                    dimension TEXT NOT NULL,
                    points INTEGER NOT NULL,
                    accepted INTEGER NOT NULL,
                    PRIMARY KEY (assessment_id, position)
                ) WITHOUT ROWID;
                ALTER TABLE scan_system ADD COLUMN assessment_id INTEGER REFERENCES assessment(id);
                CREATE TABLE ruleset_rule (
                    ruleset_hash TEXT NOT NULL,
                    rule TEXT NOT NULL,
                    dimension TEXT NOT NULL,
                    title TEXT NOT NULL,
                    points INTEGER NOT NULL,
                    rationale TEXT NOT NULL,
                    sources TEXT NOT NULL,
                    PRIMARY KEY (ruleset_hash, rule)
                ) WITHOUT ROWID;
                CREATE TABLE vendor_exposure (
                    scan_id INTEGER NOT NULL REFERENCES scan(id),
                    org_id TEXT NOT NULL,
                    vendor TEXT NOT NULL,
                    vendor_name TEXT NOT NULL,
                    vendor_country TEXT,
                    systems INTEGER NOT NULL,
                    users INTEGER NOT NULL,
                    share REAL NOT NULL,
                    lock_in_max INTEGER NOT NULL,
                    lock_in_weighted REAL NOT NULL,
                    jurisdiction_max INTEGER NOT NULL,
                    jurisdiction_weighted REAL NOT NULL,
                    PRIMARY KEY (scan_id, org_id, vendor)
                ) WITHOUT ROWID;
                -- Vendor concentration per organisation: the Herfindahl-Hirschman
                -- index of the criticality-weighted vendor shares (0-10000).
                CREATE VIEW organisation_concentration AS
                    SELECT scan_id, org_id, sum(share * share) * 10000 AS hhi, count(*) AS vendors
                    FROM vendor_exposure GROUP BY scan_id, org_id;
                """)
        }
        migrator.registerMigration("v3-totals") { db in
            try db.execute(sql: """
                ALTER TABLE vendor_exposure ADD COLUMN weight INTEGER;
                ALTER TABLE vendor_exposure ADD COLUMN lock_in_points INTEGER;
                ALTER TABLE vendor_exposure ADD COLUMN jurisdiction_points INTEGER;
                CREATE TABLE organisation_score (
                    scan_id INTEGER NOT NULL REFERENCES scan(id),
                    org_id TEXT NOT NULL,
                    systems INTEGER NOT NULL,
                    users INTEGER NOT NULL,
                    weight INTEGER NOT NULL,
                    lock_in_points INTEGER NOT NULL,
                    jurisdiction_points INTEGER NOT NULL,
                    lock_in_low INTEGER NOT NULL,
                    lock_in_medium INTEGER NOT NULL,
                    lock_in_high INTEGER NOT NULL,
                    lock_in_critical INTEGER NOT NULL,
                    jurisdiction_low INTEGER NOT NULL,
                    jurisdiction_medium INTEGER NOT NULL,
                    jurisdiction_high INTEGER NOT NULL,
                    jurisdiction_critical INTEGER NOT NULL,
                    personal_data_abroad INTEGER NOT NULL,
                    unknown_answers INTEGER NOT NULL,
                    PRIMARY KEY (scan_id, org_id)
                ) WITHOUT ROWID;
                CREATE TABLE organisation_rule (
                    scan_id INTEGER NOT NULL REFERENCES scan(id),
                    org_id TEXT NOT NULL,
                    rule TEXT NOT NULL,
                    systems INTEGER NOT NULL,
                    points INTEGER NOT NULL,
                    PRIMARY KEY (scan_id, org_id, rule)
                ) WITHOUT ROWID;
                CREATE TABLE exit_set (
                    id INTEGER PRIMARY KEY,
                    hash BLOB NOT NULL UNIQUE
                );
                ALTER TABLE scan ADD COLUMN exit_set_id INTEGER;
                CREATE TABLE exit_window (
                    set_id INTEGER NOT NULL REFERENCES exit_set(id),
                    act_by INTEGER NOT NULL,
                    record_id INTEGER NOT NULL REFERENCES system(id),
                    org_record_id INTEGER NOT NULL REFERENCES organisation(id),
                    severity INTEGER NOT NULL,
                    PRIMARY KEY (set_id, act_by, record_id)
                ) WITHOUT ROWID;
                """)
            try ScanTotals.backfill(db)
        }
        migrator.registerMigration("v4-finding-lists") { db in
            try db.execute(sql: """
                CREATE TABLE finding_list (
                    id INTEGER PRIMARY KEY,
                    hash BLOB NOT NULL UNIQUE
                );
                CREATE TABLE finding_list_entry (
                    list_id INTEGER NOT NULL REFERENCES finding_list(id),
                    position INTEGER NOT NULL,
                    rule TEXT NOT NULL,
                    dimension TEXT NOT NULL,
                    points INTEGER NOT NULL,
                    accepted INTEGER NOT NULL,
                    PRIMARY KEY (list_id, position)
                ) WITHOUT ROWID;
                ALTER TABLE assessment ADD COLUMN finding_list_id INTEGER;
                """)
            try FindingLists.moveFindings(db)
            try db.execute(sql: """
                DROP TABLE assessment_finding;
                -- The findings of each assessment, as the table of this name held them before v4.
                CREATE VIEW assessment_finding AS
                    SELECT a.id AS assessment_id, e.position, e.rule, e.dimension, e.points, e.accepted
                    FROM assessment a JOIN finding_list_entry e ON e.list_id = a.finding_list_id;
                """)
        }
        migrator.registerMigration("v5-dependence") { db in
            try db.execute(sql: """
                ALTER TABLE assessment ADD COLUMN personal_data INTEGER;
                ALTER TABLE assessment ADD COLUMN personal_data_outside_bloc INTEGER;
                ALTER TABLE assessment ADD COLUMN personal_data_foreign_law INTEGER;
                CREATE TABLE ruleset_country (
                    ruleset_hash TEXT NOT NULL,
                    country TEXT NOT NULL,
                    name TEXT NOT NULL,
                    bloc TEXT,
                    PRIMARY KEY (ruleset_hash, country)
                ) WITHOUT ROWID;
                CREATE TABLE ruleset_country_law (
                    ruleset_hash TEXT NOT NULL,
                    country TEXT NOT NULL,
                    law TEXT NOT NULL,
                    name TEXT NOT NULL,
                    PRIMARY KEY (ruleset_hash, country, law)
                ) WITHOUT ROWID;
                """)
            for table in ["organisation_score", "vendor_exposure"] {
                for column in ["critical_systems", "annual_cost_cents", "cost_stated", "personal_data",
                               "personal_data_outside_bloc", "personal_data_foreign_law"] {
                    try db.execute(sql: "ALTER TABLE \(table) ADD COLUMN \(column) INTEGER")
                }
            }
            // The scans stored before: the counts the stored systems give. Where
            // personal data lies and whom it is exposed to was not recorded (NULL).
            let systems = """
                FROM scan_system ss JOIN system s ON s.id = ss.record_id
                WHERE ss.scan_id = t.scan_id AND s.org_id = t.org_id
                """
            let counts = """
                critical_systems = (SELECT count(*) %@ AND s.criticality NOT IN ('low', 'medium')),
                annual_cost_cents = (SELECT coalesce(sum(CAST(round(s.contract_annual_cost_eur * 100) AS INTEGER)), 0) %@),
                cost_stated = (SELECT count(s.contract_annual_cost_eur) %@),
                personal_data = (SELECT count(*) %@ AND s.data_personal = 1)
                """
            try db.execute(sql: "UPDATE organisation_score AS t SET " + counts.replacingOccurrences(of: "%@", with: systems))
            let vendorSystems = systems.replacingOccurrences(of: "JOIN system s ON s.id = ss.record_id",
                                                             with: "JOIN system s ON s.id = ss.record_id JOIN assessment a ON a.id = ss.assessment_id")
                + " AND a.vendor = t.vendor"
            try db.execute(sql: "UPDATE vendor_exposure AS t SET " + counts.replacingOccurrences(of: "%@", with: vendorSystems))
        }
        migrator.registerMigration("v6-exit-status") { db in
            // The exit sets held the contracts whose notice deadline was
            // still to come; they now hold every contract with an end, with
            // it, so that reports can say which were missed or have ended.
            try db.execute(sql: """
                UPDATE scan SET exit_set_id = NULL;
                DROP TABLE exit_window;
                DROP TABLE exit_set;
                CREATE TABLE exit_set (
                    id INTEGER PRIMARY KEY,
                    hash BLOB NOT NULL UNIQUE
                );
                CREATE TABLE exit_window (
                    set_id INTEGER NOT NULL REFERENCES exit_set(id),
                    act_by INTEGER NOT NULL,
                    ends INTEGER NOT NULL,
                    record_id INTEGER NOT NULL REFERENCES system(id),
                    org_record_id INTEGER NOT NULL REFERENCES organisation(id),
                    urgency INTEGER NOT NULL,
                    PRIMARY KEY (set_id, act_by, record_id)
                ) WITHOUT ROWID;
                """)
            try ScanTotals.rebuildExitSets(db, columns: .v6)
        }
        migrator.registerMigration("v7-unknown-points") { db in
            // How much of each score the questions an inventory leaves open
            // make up, and what answering each would take off. The scans
            // stored before did not keep the facts this is worked out from:
            // their columns stay NULL and reports say "not recorded".
            try db.execute(sql: """
                ALTER TABLE assessment ADD COLUMN lock_in_unknown_points INTEGER;
                ALTER TABLE assessment ADD COLUMN jurisdiction_unknown_points INTEGER;
                CREATE TABLE assessment_question (
                    assessment_id INTEGER NOT NULL REFERENCES assessment(id),
                    question TEXT NOT NULL,
                    lock_in_points INTEGER NOT NULL,
                    jurisdiction_points INTEGER NOT NULL,
                    PRIMARY KEY (assessment_id, question)
                ) WITHOUT ROWID;
                ALTER TABLE organisation_score ADD COLUMN lock_in_unknown_points INTEGER;
                ALTER TABLE organisation_score ADD COLUMN jurisdiction_unknown_points INTEGER;
                ALTER TABLE vendor_exposure ADD COLUMN lock_in_unknown_points INTEGER;
                ALTER TABLE vendor_exposure ADD COLUMN jurisdiction_unknown_points INTEGER;
                CREATE TABLE organisation_question (
                    scan_id INTEGER NOT NULL REFERENCES scan(id),
                    org_id TEXT NOT NULL,
                    question TEXT NOT NULL,
                    systems INTEGER NOT NULL,
                    lock_in_points INTEGER NOT NULL,
                    jurisdiction_points INTEGER NOT NULL,
                    PRIMARY KEY (scan_id, org_id, question)
                ) WITHOUT ROWID;
                CREATE TABLE organisation_question_system (
                    scan_id INTEGER NOT NULL REFERENCES scan(id),
                    org_id TEXT NOT NULL,
                    question TEXT NOT NULL,
                    system_id TEXT NOT NULL,
                    points INTEGER NOT NULL,
                    PRIMARY KEY (scan_id, org_id, question, system_id)
                ) WITHOUT ROWID;
                """)
        }
        migrator.registerMigration("v8-scan-parties") { db in
            // The parties each scan's systems name, as the scan resolved them
            // (ownership chain and financial investor), for `explain`. The
            // scans stored before have no rows: explain says so.
            try db.execute(sql: """
                CREATE TABLE scan_party (
                    scan_id INTEGER NOT NULL REFERENCES scan(id),
                    name TEXT NOT NULL,
                    chain TEXT NOT NULL,
                    investor TEXT NOT NULL,
                    PRIMARY KEY (scan_id, name)
                ) WITHOUT ROWID;
                """)
        }
        migrator.registerMigration("v9-rule-translations") { db in
            // A rule's title and rationale in the other languages its rule
            // set gives (`translations:` in rules.yaml), for reports in
            // German. Rule sets stored before have English only.
            try db.execute(sql: """
                CREATE TABLE ruleset_rule_translation (
                    ruleset_hash TEXT NOT NULL,
                    rule TEXT NOT NULL,
                    language TEXT NOT NULL,
                    title TEXT NOT NULL,
                    rationale TEXT NOT NULL,
                    PRIMARY KEY (ruleset_hash, rule, language)
                ) WITHOUT ROWID;
                """)
        }
        return migrator
    }
}

/// The columns of the schema a read or write may use: a migration runs
/// before the columns of the later ones exist.
enum SchemaColumns: Int, Comparable {
    /// Before `v4-finding-lists` and `v5-dependence` (the v3 migration).
    case v3 = 3
    /// Before `v7-unknown-points` (the v6 migration).
    case v6 = 6
    case current = 7

    static func < (lhs: SchemaColumns, rhs: SchemaColumns) -> Bool { lhs.rawValue < rhs.rawValue }
}
