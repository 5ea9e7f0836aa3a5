"""The query layer: the canonical tables as Ibis expressions, computed where the data lives.

:mod:`~b2bkit.load.engine.scan` opens a folder's files in embedded DuckDB (scanned in
place, not loaded) or a database by its URL; :mod:`~b2bkit.load.engine.project`
turns each file's columns into the canonical table (renames, constants, value
maps, casts) as a query; :mod:`~b2bkit.load.engine.checks` runs the rules of
CONTRACT section 1 as queries (count per rule and the first offending keys,
ordered by key); :mod:`~b2bkit.load.engine.fetch` brings only the canonical
columns of clean tables into memory for the catalogue.
"""

from b2bkit.load.engine.fetch import ENGINES, choose_engine, engine_load

__all__ = ["ENGINES", "choose_engine", "engine_load"]
