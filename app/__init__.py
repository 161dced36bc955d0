"""Cross-province rule harmonization registry."""
