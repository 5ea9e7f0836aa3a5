"""The rules of CONTRACT section 1 as queries: a count per rule and the first offending keys.

Nothing is fetched but the counts and, for a rule that fails, its first
:data:`~b2bkit.core.errors.MAX_EXAMPLES` rows ordered by key (then line), so
that every engine names the same rows. The rule texts are the loader's own
(:mod:`b2bkit.load.validate`, :mod:`b2bkit.load.parsing`).

Examples
--------
>>> import ibis
>>> from b2bkit.load.engine.project import canonical
>>> raw = ibis.memtable({"rep_id": ["R2", "R1", "R1"], "name": ["Bo", "", "Ann"],
...                      "_line": [2, 3, 4]})
>>> found = table_checks(canonical(raw, None, "reps"), "reps", "reps.csv")
>>> found[["column", "rule", "rows"]].to_dict("records")  # doctest: +NORMALIZE_WHITESPACE
[{'column': 'rep_id', 'rule': 'duplicate key (rep_id): an earlier row has the same value',
  'rows': 1}]
>>> found["examples"][0]
['rep_id=R1 (line 4)']
"""

from __future__ import annotations

from collections.abc import Mapping

import ibis
import pandas as pd
from ibis.expr.types import BooleanValue, StringValue, Table, Value

from b2bkit.core.errors import MAX_EXAMPLES, VIOLATION_COLUMNS
from b2bkit.core.schema import TABLES, TableSpec
from b2bkit.load.engine.project import BAD, TEXT
from b2bkit.load.engine.scan import LINE
from b2bkit.load.loading import NOT_A_NUMBER_ACCOUNTING
from b2bkit.load.parsing import looks_accounting, rule_for
from b2bkit.load.validate import (
    AT_LEAST,
    AT_MOST,
    BEFORE,
    BLANK,
    DISAGREES,
    DUPLICATE_KEY,
    ONE_OF,
    POSITIVE,
    REQUIRED_WHEN,
    REQUIRED_WHEN_EITHER,
    UNKNOWN,
    shown_cell,
    shown_key,
)

__all__ = ["Rule", "dataset_checks", "table_checks"]

_DUP, _DETAIL = "_dup", "_detail"
#: How many failing cells of a number column are looked at for the accounting hint.
_HINT_CELLS = 1000


#: One rule as a query: (column named, rule, offending-row predicate, shown detail or None).
Rule = tuple[str, str, BooleanValue, StringValue | None]


def _day(value: Value) -> StringValue:
    return value.strftime("%Y-%m-%d")


def _parse_rule(t: Table, name: str, kind: str) -> str:
    """The rule of a cell that did not parse; numbers written as amounts get the hint."""
    rule = rule_for(kind)
    if kind != "number":
        return rule
    cells = t.filter(t[BAD + name]).select(_c=t[TEXT + name]).limit(_HINT_CELLS).execute()["_c"]
    return NOT_A_NUMBER_ACCOUNTING if looks_accounting(cells).any() else rule


def _rules(t: Table, spec: TableSpec) -> list[Rule]:
    """Every rule of one table's own, as :data:`Rule` queries."""
    rules: list[Rule] = []
    for field in spec.fields:
        name = field.name
        if name not in t.columns:
            continue
        value = t[name]
        bad = t[BAD + name] if BAD + name in t.columns else ibis.literal(False)
        if BAD + name in t.columns:
            rules.append((name, _parse_rule(t, name, field.kind), bad, None))
        if not field.nullable:
            rules.append((name, BLANK, value.isnull() & ~bad, None))
        checks = []
        if field.positive:
            checks.append((POSITIVE, value <= 0))
        if field.minimum is not None:
            checks.append((AT_LEAST.format(minimum=f"{field.minimum:g}"),
                           value < field.minimum))
        if field.maximum is not None:
            checks.append((AT_MOST.format(maximum=f"{field.maximum:g}"),
                           value > field.maximum))
        if field.allowed is not None:
            checks.append((ONE_OF.format(values=", ".join(field.allowed)),
                           ~value.isin(list(field.allowed))))
        rules += [(name, rule, value.notnull() & broken, None) for rule, broken in checks]
        if field.required_when is not None and field.required_when[0] in t.columns:
            other, values = field.required_when
            rule = (REQUIRED_WHEN.format(other=other, value=values[0]) if len(values) == 1
                    else REQUIRED_WHEN_EITHER.format(other=other, values=" or ".join(values[:-1]),
                                                     last=values[-1]))
            rules.append((name, rule, t[other].isin(list(values)) & value.isnull(),
                          f"{other}=" + t[other].cast("string")))
    for later, earlier in spec.date_order:
        if later in t.columns and earlier in t.columns:
            rules.append((later, BEFORE.format(earlier=earlier),
                          t[later].date() < t[earlier].date(),
                          f"{later}=" + _day(t[later]) + f" < {earlier}=" + _day(t[earlier])))
    if spec.unique_key and spec.key and all(k in t.columns for k in spec.key):
        key = ", ".join(spec.key)
        # its example names the key only (an empty detail, as in validate.examples)
        rules.append((key, DUPLICATE_KEY.format(key=key), t[_DUP] > 0, ibis.literal("")))
    return rules


def _examples(t: Table, spec: TableSpec, rule: Rule, line_word: str) -> list[str]:
    """The first offending rows, ordered by key then line: ``key=K (line N): column=value``."""
    column, _, offending, detail = rule
    key = [k for k in spec.key if k in t.columns]
    shown = TEXT + column if TEXT + column in t.columns else column
    picked = t.filter(offending).order_by([*key, LINE]).limit(MAX_EXAMPLES)
    cells = {c: picked[c] for c in dict.fromkeys([*key, LINE])}
    if detail is not None:
        cells[_DETAIL] = detail
    elif shown in t.columns:
        cells[shown] = picked[shown]
    rows = picked.select(**cells).execute()
    out = []
    for cells in rows.to_dict("records"):  # at most MAX_EXAMPLES rows
        prefix = f"{line_word} {cells[LINE]}"
        if key:
            prefix = ", ".join(f"{k}={shown_key(cells[k])}" for k in key) + f" ({prefix})"
        if _DETAIL in cells:
            out.append(f"{prefix}: {cells[_DETAIL]}" if cells[_DETAIL] else prefix)
        elif shown in cells:
            out.append(f"{prefix}: {column}={shown_cell(cells[shown])}")
        else:
            out.append(prefix)
    return out


def _with_duplicates(t: Table, spec: TableSpec) -> Table:
    if not (spec.unique_key and spec.key and all(k in t.columns for k in spec.key)):
        return t
    return t.mutate(**{_DUP: ibis.row_number().over(group_by=list(spec.key), order_by=LINE)})


def _found(t: Table, spec: TableSpec, file: str, rules, line_word: str) -> pd.DataFrame:
    if not rules:
        return pd.DataFrame(columns=VIOLATION_COLUMNS)
    counts = t.aggregate(**{f"r{i}": ibis.ifelse(r[2], 1, 0).sum() for i, r
                            in enumerate(rules)}).execute().iloc[0]
    records = []
    for i, rule in enumerate(rules):
        rows = int(counts[f"r{i}"] or 0)
        if rows:
            records.append([spec.name, file, rule[0], rule[1], rows,
                            _examples(t, spec, rule, line_word)])
    return pd.DataFrame(records, columns=VIOLATION_COLUMNS)


def table_checks(t: Table, table: str, file: str, *, line_word: str = "line") -> pd.DataFrame:
    """The violations of one table's own rules, as :data:`VIOLATION_COLUMNS` rows.

    Parameters
    ----------
    t : ibis Table
        The canonical table (:func:`b2bkit.load.engine.project.canonical`).
    table, file : str
        Its name and the file named in messages.
    line_word : str
        ``"line"`` for a file, ``"row"`` for a query result.
    """
    spec = TABLES[table]
    t = _with_duplicates(t, spec)
    return _found(t, spec, file, _rules(t, spec), line_word)


def dataset_checks(tables: Mapping[str, Table], files: Mapping[str, str], *,
                   line_word: str = "line") -> pd.DataFrame:
    """Every table's rules, then each foreign key naming a row its parent lacks.

    The rules of a table are one aggregate query (a count per rule); a
    foreign key is one anti-join per reference.
    """
    frames = [table_checks(t, name, files[name], line_word=line_word)
              for name, t in tables.items()]
    for name, t in tables.items():
        spec = TABLES[name]
        for fk in spec.foreign_keys:
            parent = tables.get(fk.table)
            if parent is None or fk.column not in t.columns or fk.target not in parent.columns:
                continue
            known = parent.select(_k=parent[fk.target]).filter(ibis._._k.notnull())
            orphan = t.anti_join(known, t[fk.column] == known._k)
            rule = UNKNOWN.format(target=fk.target, parent=fk.table)
            frames.append(_found(orphan, spec, files[name],
                                 [(fk.column, rule, orphan[fk.column].notnull(), None)],
                                 line_word))
    frames.append(_disagreeing(tables, files, line_word))
    frames = [f for f in frames if len(f)]
    return (pd.concat(frames, ignore_index=True) if frames
            else pd.DataFrame(columns=VIOLATION_COLUMNS))


def _disagreeing(tables: Mapping[str, Table], files: Mapping[str, str],
                 line_word: str) -> pd.DataFrame:
    """Leads whose opportunity names another lead (``disagrees with opportunities.lead_id``)."""
    leads, opps = tables.get("leads"), tables.get("opportunities")
    if (leads is None or opps is None or "opportunity_id" not in leads.columns
            or "lead_id" not in opps.columns):
        return pd.DataFrame(columns=VIOLATION_COLUMNS)
    named = opps.select(_o=opps.opportunity_id, _named=opps.lead_id)
    joined = leads.left_join(named, leads.opportunity_id == named._o)
    joined = joined.select(*leads.columns, "_named")
    broken = joined._named.notnull() & (joined._named != joined.lead_id)
    detail = "opportunity_id=" + joined.opportunity_id + ", whose lead_id is " + joined._named
    return _found(joined, TABLES["leads"], files["leads"],
                  [("opportunity_id", DISAGREES, broken, detail)], line_word)
