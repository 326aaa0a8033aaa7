"""Export endpoints: POST /api/exports (the catalog or a store's stock as CSV)."""
