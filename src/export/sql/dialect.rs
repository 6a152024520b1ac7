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

    /// UTC epoch seconds of `column`, `NULL` when it is a string without a
    /// zone or not a timestamp; an error at query time when its SQL type is
    /// a timestamp without a zone.
    pub fn epoch_seconds(self, column: &str) -> String {
        let no_zone = self.string(&format!(
            "cost: column `{column}` is a timestamp without a time zone; store it as TIMESTAMPTZ (UTC instants) or as ISO 8601 text ending in Z or an offset, type: "
        ));
        match self {
            Dialect::Duckdb => format!(
                "CASE WHEN typeof({column}) = 'TIMESTAMP WITH TIME ZONE' THEN CAST(floor(epoch(CAST({column} AS TIMESTAMPTZ))) AS BIGINT) \
WHEN typeof({column}) = 'VARCHAR' THEN CASE WHEN regexp_matches(trim(CAST({column} AS VARCHAR)), '{ZONE_PATTERN}') THEN CAST(floor(epoch(TRY_CAST(trim(CAST({column} AS VARCHAR)) AS TIMESTAMPTZ))) AS BIGINT) END \
ELSE CAST(error({no_zone} || typeof({column})) AS BIGINT) END"
            ),
            Dialect::Spark => format!(
                "CASE WHEN typeof({column}) = 'timestamp' THEN unix_seconds(CAST({column} AS TIMESTAMP)) \
WHEN typeof({column}) = 'string' THEN CASE WHEN trim(CAST({column} AS STRING)) RLIKE '{ZONE_PATTERN}' THEN unix_seconds(try_cast(trim(CAST({column} AS STRING)) AS TIMESTAMP)) END \
ELSE CAST(raise_error(concat({no_zone}, typeof({column}))) AS BIGINT) END"
            ),
            // TIMESTAMP is an instant in BigQuery (DATETIME, the zoneless type, does not bind here).
            Dialect::Bigquery => format!("UNIX_SECONDS({column})"),
            // TIMESTAMP_TZ / TIMESTAMP_LTZ: an instant; a TIMESTAMP_NTZ column is read as UTC (untested).
            Dialect::Snowflake => format!("DATE_PART(epoch_second, {column})"),
            // DateTime is an instant in ClickHouse.
            Dialect::Clickhouse => format!("toInt64(toUnixTimestamp({column}))"),
        }
    }

    /// Whether the timestamp column holds a string that names no zone.
    pub fn lacks_zone(self, column: &str) -> String {
        match self {
            Dialect::Duckdb => format!(
                "(typeof({column}) = 'VARCHAR' AND NOT regexp_matches(trim(CAST({column} AS VARCHAR)), '{ZONE_PATTERN}'))"
            ),
            Dialect::Spark => format!(
                "(typeof({column}) = 'string' AND NOT trim(CAST({column} AS STRING)) RLIKE '{ZONE_PATTERN}')"
            ),
            _ => "FALSE".to_string(),
        }
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
