"""Write side: annotations (data/*.yml) -> validated, verified Parquet data package."""
