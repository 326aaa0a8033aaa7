"""Read an uploaded CSV into numbered rows, checking its header first.

The file is UTF-8 (a byte-order mark is allowed, as spreadsheets write one); its first
line names the columns. Every error names the line it is on (a quoted field may span
lines: a row's line is the one it starts on).
"""

import csv
import io
from collections.abc import Iterator
from dataclasses import dataclass


class CsvFormatError(Exception):
    """The file as a whole cannot be read: not UTF-8, no header, wrong columns."""

    def __init__(self, line: int, message: str) -> None:
        super().__init__(message)
        self.line = line
        self.message = message


@dataclass(frozen=True)
class RowError:
    """Why one row was refused, and the line it starts on."""

    line: int
    message: str

    def as_dict(self) -> dict[str, int | str]:
        """Return the `{"line", "message"}` shape jobs report."""
        return {"line": self.line, "message": self.message}


@dataclass(frozen=True)
class CsvRow:
    """One data row: the line it starts on, and its values by column name (or its error)."""

    line: int
    values: dict[str, str]
    error: str | None = None


@dataclass(frozen=True)
class CsvTable:
    """The columns the header named, and the data rows in file order."""

    columns: tuple[str, ...]
    rows: list[CsvRow]


def read_table(content: bytes, required: frozenset[str], allowed: frozenset[str]) -> CsvTable:
    """Decode and split a CSV; blank lines are skipped.

    Raises:
        CsvFormatError: not UTF-8, empty, malformed, or a header with missing, unknown
            or repeated columns.
    """
    try:
        text = content.decode("utf-8-sig")
    except UnicodeDecodeError as error:
        raise CsvFormatError(
            text_line(content, error.start), "The file is not UTF-8 text."
        ) from None
    records = _records(text)
    first = next(records, None)
    if first is None:
        raise CsvFormatError(1, "The file is empty: its first line must name the columns.")
    columns = tuple(name.strip() for name in first[1])
    check_header(columns, required, allowed)
    rows = [_row(line, columns, fields) for line, fields in records]
    return CsvTable(columns, rows)


def check_header(
    columns: tuple[str, ...], required: frozenset[str], allowed: frozenset[str]
) -> None:
    """Refuse a header with missing, unknown or repeated columns.

    Raises:
        CsvFormatError: on line 1, naming every problem.
    """
    problems = []
    missing = sorted(required - set(columns))
    unknown = [name for name in columns if name not in allowed]
    repeated = sorted({name for name in columns if columns.count(name) > 1})
    if missing:
        problems.append("missing column(s): " + ", ".join(missing))
    if unknown:
        problems.append("unknown column(s): " + ", ".join(repr(name) for name in unknown))
    if repeated:
        problems.append("repeated column(s): " + ", ".join(repeated))
    if problems:
        expected = ", ".join(sorted(allowed))
        raise CsvFormatError(1, f"Bad header ({'; '.join(problems)}); the columns are {expected}.")


FORMULA_STARTS = ("=", "+", "-", "@", "\t", "\r")
NUL = "\x00"


def escape_cell(value: str) -> str:
    """Defuse a cell a spreadsheet would run as a formula, by prefixing a quote (OWASP).

    `unescape_cell` undoes it on import, so an export still imports back unchanged.
    """
    return "'" + value if value.startswith(FORMULA_STARTS) or _is_escaped(value) else value


def unescape_cell(value: str) -> str:
    """Undo `escape_cell`: drop the quote we put before a formula-like cell."""
    return value[1:] if _is_escaped(value) else value


def _is_escaped(value: str) -> bool:
    return value.startswith("'") and value[1:].startswith((*FORMULA_STARTS, "'"))


def text_line(content: bytes, offset: int) -> int:
    """Return the 1-based line number of byte `offset` in `content`."""
    return content.count(b"\n", 0, offset) + 1


def _records(text: str) -> Iterator[tuple[int, list[str]]]:
    """Yield (line the record starts on, fields) for each non-blank record."""
    reader = csv.reader(io.StringIO(text, newline=""), strict=True)
    line = 1
    try:
        for fields in reader:
            if fields and any(field.strip() for field in fields):
                yield line, fields
            line = reader.line_num + 1
    except csv.Error as error:
        raise CsvFormatError(reader.line_num, f"The file is not valid CSV: {error}.") from None


def _row(line: int, columns: tuple[str, ...], fields: list[str]) -> CsvRow:
    if len(fields) != len(columns):
        message = f"Expected {len(columns)} fields, found {len(fields)}."
        return CsvRow(line, {}, message)
    holding_nul = [column for column, field in zip(columns, fields, strict=True) if NUL in field]
    if holding_nul:
        # PostgreSQL cannot store U+0000 in text; the API refuses it too (422).
        listed = ", ".join(holding_nul)
        return CsvRow(line, {}, f"{listed}: Text may not contain the NUL character (U+0000).")
    cells = (unescape_cell(field) for field in fields)
    return CsvRow(line, dict(zip(columns, cells, strict=True)))
