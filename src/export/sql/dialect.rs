//! What differs between the SQL dialects `cost export sql` writes: how a
//! view is created, how an inline table is spelled, how a column's type is
//! checked and an error raised, and how a timestamp becomes UTC epoch
//! seconds without consulting the session time zone. DuckDB and Spark are
//! run by the conformance suite; ClickHouse, BigQuery and Snowflake are
//! only parsed (README: "At warehouse scale").

/// A SQL dialect.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Dialect {
    Duckdb,
    Spark,
    Clickhouse,
    Bigquery,
    Snowflake,
}

/// Integer SQL types a token count may have, by dialect (as `typeof` spells them).
const DUCKDB_INTS: &str =
    "'TINYINT', 'SMALLINT', 'INTEGER', 'BIGINT', 'HUGEINT', 'UTINYINT', 'USMALLINT', 'UINTEGER', 'UBIGINT'";
const SPARK_INTS: &str = "'tinyint', 'smallint', 'int', 'bigint'";

/// A string ends with a zone: `Z` or a `+hh:mm` / `+hhmm` / `+hh` offset.
const ZONE_PATTERN: &str = "(Z|z|[+-][0-9][0-9](:?[0-9][0-9])?)$";

/// A date alone (`2026-11-28`): midnight UTC (its `-28` is no offset).
const DATE_ONLY: &str = "[0-9]{4}-[0-9]{2}-[0-9]{2}";

/// Unix time as digits.
const DIGITS: &str = "[0-9]+([.][0-9]*)?";

/// DuckDB's timestamp types without a zone, and DATE: read as UTC.
const DUCKDB_ZONELESS: &str = "'TIMESTAMP', 'TIMESTAMP_S', 'TIMESTAMP_MS', 'TIMESTAMP_NS', 'DATE'";

impl Dialect {
    pub fn key(self) -> &'static str {
        match self {
            Dialect::Duckdb => "duckdb",
            Dialect::Spark => "spark",
            Dialect::Clickhouse => "clickhouse",
            Dialect::Bigquery => "bigquery",
            Dialect::Snowflake => "snowflake",
        }
    }

    /// Whether a conformance suite runs this dialect on its engine.
    pub fn tested(self) -> bool {
        matches!(self, Dialect::Duckdb | Dialect::Spark)
    }

    pub fn create_view(self, name: &str) -> String {
        match self {
            Dialect::Spark => format!("CREATE OR REPLACE TEMPORARY VIEW {name} AS"),
            _ => format!("CREATE OR REPLACE VIEW {name} AS"),
        }
    }

    /// An exact decimal type.
    pub fn decimal(self, precision: u8, scale: u8) -> String {
        match self {
            Dialect::Bigquery => format!("BIGNUMERIC({precision}, {scale})"),
            Dialect::Clickhouse => format!("Decimal({precision}, {scale})"),
            _ => format!("DECIMAL({precision}, {scale})"),
        }
    }

    pub fn bigint(self) -> &'static str {
        match self {
            Dialect::Bigquery => "INT64",
            Dialect::Clickhouse => "Int64",
            _ => "BIGINT",
        }
    }

    pub fn text(self) -> &'static str {
        match self {
            Dialect::Bigquery | Dialect::Spark => "STRING",
            Dialect::Clickhouse => "String",
            _ => "VARCHAR",
        }
    }

    pub fn boolean(self) -> &'static str {
        match self {
            Dialect::Clickhouse => "Bool",
            _ => "BOOLEAN",
        }
    }

    /// A string literal.
    pub fn string(self, s: &str) -> String {
        let escaped = s.replace('\\', "\\\\").replace('\'', "\\'");
        match self {
            // DuckDB and Snowflake take no backslash escapes in plain literals.
            Dialect::Duckdb | Dialect::Snowflake => format!("'{}'", s.replace('\'', "''")),
            _ => format!("'{escaped}'"),
        }
    }

    /// An inline table with named columns, as the body of a CTE.
    pub fn inline_table(self, columns: &[&str], rows: &[Vec<String>]) -> String {
        let cols = columns.join(", ");
        match self {
            Dialect::Bigquery | Dialect::Clickhouse => rows
                .iter()
                .map(|r| {
                    let cells: Vec<String> = r
                        .iter()
                        .zip(columns)
                        .map(|(v, c)| format!("{v} AS {c}"))
                        .collect();
                    format!("  SELECT {}", cells.join(", "))
                })
                .collect::<Vec<_>>()
                .join("\n  UNION ALL\n"),
            Dialect::Spark => format!("  SELECT * FROM VALUES\n{}\n  AS t({cols})", values(rows)),
            _ => format!(
                "  SELECT * FROM (VALUES\n{}\n  ) AS t({cols})",
                values(rows)
            ),
        }
    }

    /// `column` as a BIGINT token count, or an error at query time naming
    /// the column when its SQL type is not an integer.
    pub fn integer_column(self, column: &str) -> String {
        let cast = format!("CAST({column} AS {})", self.bigint());
        let message = self.string(&format!(
            "cost: column `{column}` must be an integer type (cast it or fix the schema), not "
        ));
        match self {
            Dialect::Duckdb => format!(
                "CASE WHEN typeof({column}) IN ({DUCKDB_INTS}) THEN {cast} ELSE CAST(error({message} || typeof({column})) AS BIGINT) END"
            ),
            Dialect::Spark => format!(
                "CASE WHEN typeof({column}) IN ({SPARK_INTS}) THEN {cast} ELSE CAST(raise_error(concat({message}, typeof({column}))) AS BIGINT) END"
            ),
            // No portable type test: the cast itself rejects what is not a number.
            _ => cast,
        }
    }

    /// UTC epoch seconds of `column`, read as `replay::record::parse_time`
    /// reads a logged time: an instant (a zoned timestamp type, or text
    /// ending in `Z` or an offset) as is; a zoneless timestamp type or text
    /// (`2026-11-28 10:00:00`, `2026-11-28`) as UTC; digits as Unix seconds
    /// (milliseconds above 10^11). `NULL` when the text is no time; an error
    /// at query time when the column's SQL type is not a time or text.
    pub fn epoch_seconds(self, column: &str) -> String {
        let not_time = self.string(&format!(
            "cost: column `{column}` must be a timestamp or text (ISO 8601, or Unix seconds), not "
        ));
        match self {
            Dialect::Duckdb => {
                let s = format!("trim(CAST({column} AS VARCHAR))");
                let text = format!(
                    "CASE WHEN regexp_full_match({s}, '{DATE_ONLY}') THEN CAST(floor(epoch(CAST(TRY_CAST({s} AS DATE) AS TIMESTAMP))) AS BIGINT) \
WHEN regexp_matches({s}, '{ZONE_PATTERN}') THEN CAST(floor(epoch(TRY_CAST({s} AS TIMESTAMPTZ))) AS BIGINT) \
WHEN regexp_full_match({s}, '{DIGITS}') THEN CAST(floor(CASE WHEN TRY_CAST({s} AS DOUBLE) > 1e11 THEN TRY_CAST({s} AS DOUBLE) / 1000 ELSE TRY_CAST({s} AS DOUBLE) END) AS BIGINT) \
ELSE CAST(floor(epoch(TRY_CAST({s} AS TIMESTAMP))) AS BIGINT) END"
                );
                format!(
                    "CASE WHEN typeof({column}) = 'TIMESTAMP WITH TIME ZONE' THEN CAST(floor(epoch(CAST({column} AS TIMESTAMPTZ))) AS BIGINT) \
WHEN typeof({column}) IN ({DUCKDB_ZONELESS}) THEN CAST(floor(epoch(CAST({column} AS TIMESTAMP))) AS BIGINT) \
WHEN typeof({column}) = 'VARCHAR' THEN {text} \
ELSE CAST(error({not_time} || typeof({column})) AS BIGINT) END"
                )
            }
            Dialect::Spark => {
                let s = format!("trim(CAST({column} AS STRING))");
                let utc = |text: &str| format!("unix_seconds(try_cast({text} AS TIMESTAMP))");
                let text = format!(
                    "CASE WHEN {s} RLIKE '^{DATE_ONLY}$' THEN {} \
WHEN {s} RLIKE '{ZONE_PATTERN}' THEN {} \
WHEN {s} RLIKE '^{DIGITS}$' THEN CAST(floor(CASE WHEN CAST({s} AS DOUBLE) > 1e11 THEN CAST({s} AS DOUBLE) / 1000 ELSE CAST({s} AS DOUBLE) END) AS BIGINT) \
ELSE {} END",
                    utc(&format!("concat({s}, 'T00:00:00Z')")),
                    utc(&s),
                    utc(&format!("concat({s}, 'Z')")),
                );
                format!(
                    "CASE WHEN typeof({column}) = 'timestamp' THEN unix_seconds(CAST({column} AS TIMESTAMP)) \
WHEN typeof({column}) = 'timestamp_ntz' THEN {} \
WHEN typeof({column}) = 'date' THEN {} \
WHEN typeof({column}) = 'string' THEN {text} \
ELSE CAST(raise_error(concat({not_time}, typeof({column}))) AS BIGINT) END",
                    utc(&format!("concat(CAST({column} AS STRING), 'Z')")),
                    utc(&format!("concat(CAST({column} AS STRING), 'T00:00:00Z')")),
                )
            }
            // TIMESTAMP is an instant in BigQuery (DATETIME, the zoneless type, does not bind here).
            Dialect::Bigquery => format!("UNIX_SECONDS({column})"),
            // TIMESTAMP_TZ / TIMESTAMP_LTZ: an instant; a TIMESTAMP_NTZ column is read as UTC (untested).
            Dialect::Snowflake => format!("DATE_PART(epoch_second, {column})"),
            // DateTime is an instant in ClickHouse.
            Dialect::Clickhouse => format!("toInt64(toUnixTimestamp({column}))"),
        }
    }

    /// Whether the time in `column` named no zone and was read as UTC.
    pub fn zone_assumed(self, column: &str) -> String {
        match self {
            Dialect::Duckdb => {
                let s = format!("trim(CAST({column} AS VARCHAR))");
                format!(
                    "(typeof({column}) IN ({DUCKDB_ZONELESS}) OR (typeof({column}) = 'VARCHAR' AND (regexp_full_match({s}, '{DATE_ONLY}') OR NOT (regexp_matches({s}, '{ZONE_PATTERN}') OR regexp_full_match({s}, '{DIGITS}')))))"
                )
            }
            Dialect::Spark => {
                let s = format!("trim(CAST({column} AS STRING))");
                format!(
                    "(typeof({column}) IN ('timestamp_ntz', 'date') OR (typeof({column}) = 'string' AND ({s} RLIKE '^{DATE_ONLY}$' OR NOT ({s} RLIKE '{ZONE_PATTERN}' OR {s} RLIKE '^{DIGITS}$'))))"
                )
            }
            _ => "FALSE".to_string(),
        }
    }

    /// UTC epoch seconds of nanoseconds since 1970 in `column` (an integer,
    /// or digits as text, as OTLP JSON writes them); 0 and NULL are no time.
    pub fn epoch_of_unix_nanos(self, column: &str) -> String {
        let big = self.bigint();
        let billion = "1000000000";
        match self {
            Dialect::Duckdb => {
                let n = format!("TRY_CAST(trim(CAST({column} AS VARCHAR)) AS BIGINT)");
                let message = self.string(&format!(
                    "cost: column `{column}` must be nanoseconds since 1970 (an integer or digits), not "
                ));
                format!(
                    "CASE WHEN typeof({column}) IN ({DUCKDB_INTS}, 'VARCHAR') THEN CASE WHEN {n} > 0 THEN {n} // {billion} END \
ELSE CAST(error({message} || typeof({column})) AS BIGINT) END"
                )
            }
            Dialect::Spark => {
                let n = format!("try_cast(trim(CAST({column} AS STRING)) AS BIGINT)");
                let message = self.string(&format!(
                    "cost: column `{column}` must be nanoseconds since 1970 (an integer or digits), not "
                ));
                format!(
                    "CASE WHEN typeof({column}) IN ({SPARK_INTS}, 'string') THEN CASE WHEN {n} > 0 THEN {n} div {billion} END \
ELSE CAST(raise_error(concat({message}, typeof({column}))) AS BIGINT) END"
                )
            }
            Dialect::Clickhouse => {
                format!("if(toInt64({column}) > 0, intDiv(toInt64({column}), {billion}), NULL)")
            }
            Dialect::Bigquery => format!(
                "IF(CAST({column} AS {big}) > 0, DIV(CAST({column} AS {big}), {billion}), NULL)"
            ),
            Dialect::Snowflake => format!(
                "IFF(CAST({column} AS {big}) > 0, FLOOR(CAST({column} AS {big}) / {billion}), NULL)"
            ),
        }
    }

    /// A column of the usage row `u`, quoted when its name is not a plain
    /// identifier (OTel attribute names have dots; BigQuery allows none in
    /// a column name, so there they are underscores).
    pub fn column(self, name: &str) -> String {
        if name.chars().all(|c| c.is_ascii_alphanumeric() || c == '_') {
            return format!("u.{name}");
        }
        match self {
            Dialect::Spark => format!("u.`{name}`"),
            Dialect::Bigquery => format!("u.{}", name.replace(['.', '-'], "_")),
            _ => format!("u.\"{name}\""),
        }
    }

    /// A yes/no cell (a boolean, 1/0, or text true/false/yes/no; empty or
    /// NULL is no) as a BOOLEAN; NULL when it is anything else.
    pub fn yes_no(self, expr: &str) -> String {
        let v = format!("lower(trim(COALESCE(CAST({expr} AS {}), '')))", self.text());
        format!(
            "CASE WHEN {v} IN ('true', '1', 'yes') THEN TRUE WHEN {v} IN ('false', '0', 'no', '') THEN FALSE END"
        )
    }

    /// The text at JSON `path` (`$.a.b`) inside the JSON document (or JSON
    /// text) `doc`: NULL when the document is empty or lacks the path, and
    /// the text `not json` when the document is not JSON (so that a count
    /// read from it is flagged, not taken as 0).
    pub fn json_text(self, doc: &str, path: &str) -> String {
        let t = self.text();
        let s = format!("CAST({doc} AS {t})");
        match self {
            Dialect::Duckdb => format!(
                "CASE WHEN {doc} IS NULL OR trim({s}) = '' THEN NULL WHEN json_valid({s}) THEN json_extract_string({s}, '{path}') ELSE 'not json' END"
            ),
            Dialect::Spark => format!(
                "CASE WHEN {doc} IS NULL OR trim({s}) = '' THEN NULL WHEN get_json_object({s}, '$') IS NULL THEN 'not json' ELSE get_json_object({s}, '{path}') END"
            ),
            Dialect::Snowflake => format!(
                "JSON_EXTRACT_PATH_TEXT({s}, '{}')",
                path.trim_start_matches("$.")
            ),
            Dialect::Clickhouse | Dialect::Bigquery => format!("JSON_VALUE({s}, '{path}')"),
        }
    }

    /// A token count read from JSON text `v`: 0 when absent, -1 (flagged
    /// `bad_tokens`) when it is not a whole number.
    pub fn json_tokens(self, v: &str) -> String {
        let cast = match self {
            Dialect::Bigquery => format!("SAFE_CAST({v} AS INT64)"),
            Dialect::Clickhouse => format!("toInt64OrNull({v})"),
            Dialect::Spark => format!("try_cast({v} AS BIGINT)"),
            _ => format!("TRY_CAST({v} AS BIGINT)"),
        };
        format!("(CASE WHEN {v} IS NULL THEN 0 ELSE COALESCE({cast}, -1) END)")
    }

    /// Whole days since 1970-01-01 of epoch seconds `e` (floor division).
    pub fn days(self, e: &str) -> String {
        match self {
            Dialect::Clickhouse => format!("toInt64(floor({e} / 86400))"),
            Dialect::Bigquery => format!("CAST(FLOOR({e} / 86400) AS INT64)"),
            _ => format!("CAST(floor({e} / 86400) AS BIGINT)"),
        }
    }

    /// The DATE `d` days after 1970-01-01.
    pub fn date_of_day(self, d: &str) -> String {
        match self {
            Dialect::Duckdb => format!("(DATE '1970-01-01' + CAST({d} AS INTEGER))"),
            Dialect::Spark => format!("date_add(DATE '1970-01-01', CAST({d} AS INT))"),
            Dialect::Bigquery => format!("DATE_ADD(DATE '1970-01-01', INTERVAL {d} DAY)"),
            Dialect::Snowflake => format!("DATEADD(day, {d}, DATE '1970-01-01')"),
            Dialect::Clickhouse => format!("addDays(toDate('1970-01-01'), {d})"),
        }
    }

    /// `a` modulo `b`, non-negative.
    pub fn modulo(self, a: &str, b: u32) -> String {
        match self {
            Dialect::Spark => format!("pmod({a}, {b})"),
            Dialect::Bigquery | Dialect::Snowflake => format!("MOD(MOD({a}, {b}) + {b}, {b})"),
            _ => format!("((({a}) % {b}) + {b}) % {b}"),
        }
    }
}

fn values(rows: &[Vec<String>]) -> String {
    rows.iter()
        .map(|r| format!("    ({})", r.join(", ")))
        .collect::<Vec<_>>()
        .join(",\n")
}
