"""Read side: DuckDB views over the Parquet package, named queries, cached wrappers for pages."""
