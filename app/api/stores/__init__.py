"""Store endpoints: /api/stores, with their managers and stock as nested blueprints."""
