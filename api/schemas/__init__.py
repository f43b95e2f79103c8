"""Request and response models of the HTTP API (validated once, at the boundary)."""
