"""Job endpoints: a background job's status, progress and errors, and its CSV file."""
