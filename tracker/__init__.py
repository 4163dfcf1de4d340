"""Read side: the package opened in DuckDB (db), the read API (read), its cached form for pages (data), page furniture (ui)."""
