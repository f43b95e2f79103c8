"""The system of record: entries, immutable versions, lifecycle, clocks, audit. No ML here."""
