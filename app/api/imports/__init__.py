"""Import endpoints: POST /api/imports (a CSV of products or of a store's stock)."""
