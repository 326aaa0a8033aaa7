"""Hot statements compiled once per dialect and run straight on the driver's cursor.

Why: on the small statements every catalog request makes (the token check, a product, a
page, a new product's INSERT), `Connection.execute` costs 20-35 µs a statement over the
driver's own `execute`: the compiled-cache lookup, an execution context, column defaults,
result metadata and Row objects, all redone per call for a statement whose SQL never
changes. A `PreparedQuery` keeps what SQLAlchemy
compiled for the connection's dialect (the SQL text, the parameter order, each type's bind
and result processors) and replays it on the DBAPI cursor of that same connection, inside
the same transaction. Rows come back as plain tuples, converted as Core converts them.

What stays Core's:
- the SQL and the values sent are exactly those Core sends; tests compare both, and the
  rows, on SQLite and on PostgreSQL (tests/unit/test_prepared_query.py and
  tests/integration/test_prepared_query_postgres.py), so a change in SQLAlchemy fails them;
- when anything listens to the connection's events (statement counters, tracing), the
  statement runs through `Connection.execute`, so every listener sees it as before;
- on a driver error a SELECT runs again through `Connection.execute`, which raises and
  handles the error as always (a SELECT has no effect to repeat; the first error stays
  attached as the context). An INSERT is not repeated: its error is wrapped as Core wraps
  it (`DBAPIError.instance`: a duplicate key is an `IntegrityError`), and a lost
  connection is invalidated, so the pool replaces it (Core would also test the pool's
  other connections at once; `pool_pre_ping` does that at their next checkout).
Only SELECTs and INSERT ... RETURNING with plain bind parameters are taken: no expanding
IN, no literal_execute, no escaped parameter names (refused when compiled, ValueError).
An INSERT gets no column defaults: every column it writes is a bind parameter.
"""

from collections.abc import Callable, Mapping, Sequence
from typing import Any, NamedTuple, cast
from weakref import WeakKeyDictionary

from sqlalchemy import Connection, Select
from sqlalchemy.engine import Dialect
from sqlalchemy.exc import DBAPIError
from sqlalchemy.orm import Session
from sqlalchemy.sql.compiler import SQLCompiler
from sqlalchemy.sql.dml import ReturningInsert

Processor = Callable[[Any], Any]
# What a Core read runs on: a Connection, or a Session (its connection, its transaction).
Reader = Session | Connection
REQUIRED = object()


def connection_of(reader: Reader) -> Connection:
    """The connection a Reader reads on (a Session's: its connection, in its transaction)."""
    return reader if isinstance(reader, Connection) else reader.connection()


class _Compiled(NamedTuple):
    """A statement as one dialect runs it."""

    sql: str
    # Each parameter in the order the SQL names it: (name, bind processor or None, the
    # value written in the statement, processed, or REQUIRED when each call gives one).
    parameters: tuple[tuple[str, Processor | None, Any], ...]
    names: tuple[str, ...]
    is_positional: bool
    # Result processors by column; None until the first rows tell the column types.
    result_processors: list[tuple[int, Processor]] | None


class PreparedQuery:
    """A SELECT or INSERT ... RETURNING to run many times with new values; built once."""

    def __init__(
        self, statement: Select[Any] | ReturningInsert[Any], columns: Sequence[str] = ()
    ) -> None:
        """Take a statement; an INSERT names the `columns` it writes, each bound by its key."""
        self.statement = statement
        self.columns = list(columns)
        self._is_select = isinstance(statement, Select)
        self._by_dialect: WeakKeyDictionary[Dialect, _Compiled] = WeakKeyDictionary()

    def all(self, reader: Reader, values: Mapping[str, Any]) -> Sequence[tuple[Any, ...]]:
        """Return every row for these bind values, as tuples, on `reader`'s connection."""
        connection = connection_of(reader)
        # Core's own test for "somebody may listen" (Connection._execute_context), then
        # whether anybody still does: removing the last listener leaves that flag set.
        if (connection._has_events or connection.engine._has_events) and _is_listened(connection):
            return self._through_core(connection, values)
        dialect = connection.dialect
        compiled = self._by_dialect.get(dialect) or self._compile(dialect)
        arguments = _arguments(compiled, values)
        cursor = connection.connection.cursor()
        try:
            cursor.execute(compiled.sql, arguments)
            rows = cursor.fetchall()
            description = cursor.description
        except dialect.loaded_dbapi.Error as error:
            cursor.close()
            if self._is_select:
                return self._through_core(connection, values)
            raise _wrapped(connection, error, compiled.sql, arguments) from error
        cursor.close()
        processors = compiled.result_processors
        if processors is None:
            processors = self._result_processors(dialect, description)
        if not processors:
            return cast(list[tuple[Any, ...]], rows)
        return [_converted(row, processors) for row in rows]

    def sent(self, dialect: Dialect, values: Mapping[str, Any]) -> tuple[str, Any]:
        """Return the SQL text and the driver arguments `all` runs with these values."""
        compiled = self._by_dialect.get(dialect) or self._compile(dialect)
        return compiled.sql, _arguments(compiled, values)

    def _through_core(
        self, connection: Connection, values: Mapping[str, Any]
    ) -> list[tuple[Any, ...]]:
        return [tuple(row) for row in connection.execute(self.statement, dict(values))]

    def _compile(self, dialect: Dialect) -> _Compiled:
        if self._is_select:
            compiled = self.statement.compile(dialect=dialect)
        else:  # as Core compiles an INSERT for values with these keys
            compiled = self.statement.compile(dialect=dialect, column_keys=self.columns)
        if not isinstance(compiled, SQLCompiler):
            raise TypeError("PreparedQuery takes SQL statements only")
        if (
            compiled.literal_execute_params
            or compiled.post_compile_params
            or compiled.escaped_bind_names
        ):
            raise ValueError("PreparedQuery takes plain bind parameters only")
        binds = {name: bind for bind, name in compiled.bind_names.items()}
        names = compiled.positiontup if compiled.positiontup is not None else list(binds)
        parameters = []
        for name in names:
            bind = binds[name]
            processor = bind.type.dialect_impl(dialect).bind_processor(dialect)
            fixed = REQUIRED
            if not bind.required and bind.callable is None:
                fixed = processor(bind.value) if processor else bind.value
            parameters.append((name, processor, fixed))
        result = _Compiled(
            compiled.string, tuple(parameters), tuple(names), compiled.positional, None
        )
        self._by_dialect[dialect] = result
        return result

    def _result_processors(
        self, dialect: Dialect, description: Sequence[Sequence[Any]]
    ) -> list[tuple[int, Processor]]:
        """Each column's result processor, as Core picks it: its type, the driver's type code."""
        processors: list[tuple[int, Processor]] = []
        for index, (column, described) in enumerate(
            zip(self.statement.exported_columns, description, strict=True)
        ):
            processor = column.type.dialect_impl(dialect).result_processor(dialect, described[1])
            if processor is not None:
                processors.append((index, processor))
        self._by_dialect[dialect] = self._by_dialect[dialect]._replace(result_processors=processors)
        return processors


def _is_listened(connection: Connection) -> bool:
    """Tell whether any listener would see a statement that `Connection.execute` runs."""
    events = connection.dispatch
    return bool(
        events.before_execute
        or events.after_execute
        or events.before_cursor_execute
        or events.after_cursor_execute
    )


def _wrapped(connection: Connection, error: Exception, sql: str, arguments: Any) -> BaseException:
    """The error Core raises for this driver error; a lost connection is invalidated first."""
    dialect = connection.dialect
    driver_error = cast(Any, error)  # typed as the DBAPI's Error class, which it is
    is_lost = dialect.is_disconnect(driver_error, connection.connection.dbapi_connection, None)
    if is_lost:
        connection.invalidate(error)
    return DBAPIError.instance(
        sql,
        arguments,
        error,
        dialect.loaded_dbapi.Error,
        connection_invalidated=is_lost,
        dialect=dialect,
    )


def _arguments(compiled: _Compiled, values: Mapping[str, Any]) -> Any:
    arguments = []
    for name, processor, fixed in compiled.parameters:
        if name in values:
            value = values[name]
            arguments.append(value if processor is None else processor(value))
        elif fixed is not REQUIRED:
            arguments.append(fixed)
        else:
            raise KeyError(f"no value for bind parameter {name!r}")
    if compiled.is_positional:
        return tuple(arguments)
    return dict(zip(compiled.names, arguments, strict=True))


def _converted(row: Sequence[Any], processors: list[tuple[int, Processor]]) -> tuple[Any, ...]:
    converted = list(row)
    for index, processor in processors:
        converted[index] = processor(converted[index])
    return tuple(converted)
