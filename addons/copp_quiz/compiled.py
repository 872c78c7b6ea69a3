"""python-sql queries of the hot path (the save of an answer) written once.

The text of such a query is the same from one request to the next, only
its values change; python-sql takes longer to write the text of a query
with subqueries (≈0.5 ms) than the database takes to run it. `execute()`
builds the query once per model class of a pool (a database's pool as
its modules make it) and name, with placeholders (`Arg`) where the values
go, and afterwards only fills the values in."""
from weakref import WeakKeyDictionary

_queries = WeakKeyDictionary()


class Arg:
    "The place of a value given at each execution of a compiled query"
    __slots__ = ('name',)

    def __init__(self, name):
        self.name = name

    def __repr__(self):
        return f'Arg({self.name!r})'


def execute(cursor, owner, name, build, **values):
    """Execute on `cursor` the query `build(**args)` (args: an Arg per
    name of `values`) with `values`; `owner`: the model (of the pool)
    the query is kept on"""
    queries = _queries.setdefault(owner, {})
    compiled = queries.get(name)
    if compiled is None:
        query, params = tuple(build(**{n: Arg(n) for n in values}))
        compiled = queries[name] = (query, tuple(params))
    query, params = compiled
    cursor.execute(query, [values[p.name] if isinstance(p, Arg) else p
            for p in params])
    return cursor
