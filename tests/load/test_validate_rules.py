"""The column rules are one list: the fast path and pandera check the same rules."""

import pandas as pd
import pytest

from b2bkit.core.schema import TABLES, Field
from b2bkit.load import validate


@pytest.mark.parametrize("field", [f for spec in TABLES.values() for f in spec.fields
                                   if validate._column_checks(f)],
                         ids=lambda f: f.name)
def test_every_column_check_has_a_fast_comparison(field: Field) -> None:
    for kind, _, _ in validate._column_checks(field):
        assert kind in validate._HOLDS


def test_a_rule_added_to_the_list_is_checked_by_the_fast_path(monkeypatch) -> None:
    frame = pd.DataFrame({"n": pd.array([5.0, 7.0], dtype="Float64")})
    field = Field("n", "number", minimum=0)
    assert validate._passes(frame, [field], None)
    original = validate._column_checks
    monkeypatch.setattr(validate, "_column_checks", lambda spec: [
        *original(spec), ("le", 6, "must be <= 6")])
    assert not validate._passes(frame, [field], None)  # the fast path sees the new rule
