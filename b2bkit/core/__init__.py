"""The ground floor: the data model and the rules every other floor shares.

``schema`` (the tables of CONTRACT section 1), ``errors`` (the errors that
carry their data), ``periods`` (the period grammar), ``asof`` (the one as_of
rule), ``i18n`` (the language of the reports: the gettext catalogue and the CLDR formats),
``labels`` (column headers and canonical row labels in that language),
``formatting`` (numbers and money as text) and ``source`` (what a
dataset argument names: a folder or a database URL, shown without its
password). Nothing here imports another floor of b2bkit.
"""
