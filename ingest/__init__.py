"""Documents in: read, clean, extract metadata, split by clause, import scripts and catalogs."""
