"""`epoch_seconds(column)`: a timestamp as whole seconds since 1970 (UTC),
computed by the database.

PostgreSQL's EXTRACT returns numeric, which is slow to produce and to read
for thousands of rows; date_part returns a double precision, several times
cheaper. SQLite stores UTC text and strftime('%s') reads it."""
from sqlalchemy import BigInteger
from sqlalchemy.ext.compiler import compiles
from sqlalchemy.sql.functions import FunctionElement


class epoch_seconds(FunctionElement):
    type = BigInteger()
    inherit_cache = True
    name = "epoch_seconds"


@compiles(epoch_seconds, "postgresql")
def _postgresql(element, compiler, **kwargs):
    return f"CAST(date_part('epoch', {compiler.process(element.clauses, **kwargs)}) AS BIGINT)"


@compiles(epoch_seconds, "sqlite")
def _sqlite(element, compiler, **kwargs):
    return f"CAST(strftime('%s', {compiler.process(element.clauses, **kwargs)}) AS INTEGER)"
