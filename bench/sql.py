"""Counting the SQL statements a subject runs, for the benchmarks' notes."""

from django.db import connection


class Statements:
    """Counts the SQL statements run on the default connection while active (an execute
    wrapper: no query log, so no cap on the count and no logging cost)."""

    def __init__(self):
        self.count = 0

    def __call__(self, execute, sql, params, many, context):
        self.count += 1
        return execute(sql, params, many, context)

    def __enter__(self):
        self._wrapper = connection.execute_wrapper(self)
        self._wrapper.__enter__()
        return self

    def __exit__(self, *exc):
        self._wrapper.__exit__(*exc)

    def __len__(self):
        return self.count
