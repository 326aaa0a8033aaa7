"""Row ids: the range every primary key of the database fits in."""

# Primary keys are 64-bit signed integers (SQLite INTEGER, PostgreSQL BIGINT): a larger id
# could never match a row, and would overflow the database driver (a 500) if it got there.
MAX_ROW_ID = 2**63 - 1
