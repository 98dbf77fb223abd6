"""bantin: turn raw Vietnamese news into a clean, deduplicated, searchable archive."""

__version__ = "0.1.0"
