"""Category endpoints: /api/categories."""
