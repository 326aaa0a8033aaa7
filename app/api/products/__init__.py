"""Product endpoints: /api/products (list, full-text search, read, admin changes)."""
