"""Row ids: the range every primary key of the database fits in."""

# Primary keys are `Integer` columns: 64-bit on SQLite, but 32-bit signed on PostgreSQL
# (INTEGER), so the smaller range is the one every database holds. A larger id could
# never match a row, and would overflow the database (a 500) if it got there.
MAX_ROW_ID = 2**31 - 1
