"""The campaign report: SQL aggregates -> tables -> charts (SVG) -> HTML, CSV, JSON, PDF."""
