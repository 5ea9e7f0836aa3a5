"""The loader: from a folder or a database to a validated :class:`Dataset`.

Files and tables are read as text (``sources``), settings and column maps
read (``settings``, ``column_map``, ``layout``, ``presets/``), cells parsed
(``parsing``), rows combined and converted (``aggregate``, ``currency``),
checked (``validate``, ``warn``, ``links``), and one table taken through all
of it (``loading``); ``quality`` is the frame of what was set aside or
warned about, ``cache`` a plain store of validated datasets, ``dataset``
the :class:`Dataset` and :func:`load_dataset`. ``sample/`` is the hand-made
dataset of the doctests. May import :mod:`b2bkit.core` only.
"""
