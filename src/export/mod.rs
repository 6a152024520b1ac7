//! `cost export`: the catalog for other engines. `book` flattens the
//! catalog into the prices a request can meet, each priced by the billing
//! kernel; `table` lays the book out as flat tables written as CSV or
//! Parquet (`parquet`); `sql` generates SQL that prices a usage table with
//! the same rules inside DuckDB, Spark and other warehouses. Pure: the
//! command writes the bytes.

pub mod book;
pub mod parquet;
pub mod sql;
pub mod table;
