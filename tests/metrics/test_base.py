"""The @metric declaration (needs, splits, better) and errors in the caller's words."""

import pytest

from b2bkit import UsageError, sample_dataset
from b2bkit.metrics import CATALOGUE, check_by, compute_all, cpl, prepare, win_rate
from b2bkit.metrics._base import DIMENSIONS, Result, Split, metric
from b2bkit.metrics.catalogue import ORDER

from ._build import build


@pytest.fixture(scope="module")
def view():
    return prepare(sample_dataset())


def test_every_metric_declares_its_unit_needs_splits_and_direction() -> None:
    assert sorted(CATALOGUE) == sorted(ORDER)
    lower = sorted(n for n, info in CATALOGUE.items() if info.better == "lower")
    assert lower == ["cac", "cac_payback_months", "churn_rate", "cost_per_sql", "cpl",
                     "sales_cycle_days", "sales_cycle_days_median"]
    assert [n for n, info in CATALOGUE.items() if info.better is None] == ["marketing_spend"]
    assert CATALOGUE["win_rate"].needs == ("opportunities",)
    assert CATALOGUE["quota_attainment"].needs == ("quotas", "opportunities")
    assert CATALOGUE["quota_attainment"].splits == ("rep_id",)
    assert CATALOGUE["cac"].splits == ("channel",) and CATALOGUE["leads"].splits == DIMENSIONS


def test_an_absent_table_and_an_undeclared_dimension_are_notes(view) -> None:
    no_opps = build(leads=dict(lead_id=["L1"], created_at=["2025-01-05"], channel=["webinar"]))
    assert win_rate(no_opps, "2025-Q1").reason == "no opportunities table in the dataset"
    frame = CATALOGUE["quota_attainment"].public(view, "2025-Q1", by="channel")
    assert frame["note"].unique().tolist() == ["quotas cannot be split by channel"]
    frame = CATALOGUE["cac"].public(view, "2025-Q1", by="segment")
    assert frame["note"].unique().tolist() == ["cac cannot be split by segment"]


def test_the_declaration_runs_before_the_computation(view) -> None:
    calls = []

    @metric("count", needs=("quotas",), splits=("rep_id",), better=None)
    def probe(split: Split, period) -> Result:
        """A probe."""
        calls.append(split.by)
        return Result.of(split.empty(1.0))

    try:
        assert probe(view, "2025-Q1") == 1
        assert probe(view, "2025-Q1", by="channel")["note"].unique().tolist() == [
            "quotas cannot be split by channel"]
        assert calls == [None]  # the refused split never reached the computation
    finally:
        del CATALOGUE["probe"]


@pytest.mark.parametrize(("kwargs", "message"), [
    (dict(unit="dollars", splits=DIMENSIONS), "unknown unit 'dollars'"),
    (dict(unit="count", better="up", splits=DIMENSIONS),
     "better must be 'higher', 'lower' or None, not 'up'"),
    (dict(unit="count", splits=("colour",)), "splits must be a tuple of dimensions of"),
    (dict(unit="count", splits="all"), "splits must be a tuple of dimensions of"),
])
def test_a_wrong_declaration_is_refused(kwargs: dict, message: str) -> None:
    with pytest.raises(ValueError, match=f"^{message}"):
        metric(**kwargs)


def test_an_unknown_metric_names_the_nearest(view) -> None:
    with pytest.raises(UsageError, match=r"^unknown metric 'win_rat' \(did you mean "
                                         r"'win_rate'\?\)$"):
        compute_all(view, "2025-Q1", metrics=("win_rat",))


def test_one_metric_name_is_one_metric(view) -> None:
    table = compute_all(view, "2025-Q1", metrics="cpl")
    assert table[["metric", "unit", "value"]].to_dict("records") == [
        {"metric": "cpl", "unit": "currency", "value": 875.0}]
    assert table["note"].isna().all()


def test_a_split_result_names_its_dimension(view) -> None:
    table = compute_all(view, "2025-Q1", by="channel", metrics=("leads", "cpl"))
    assert list(table.columns) == ["channel", "metric", "unit", "value", "note"]
    single = cpl(view, "2025-Q1", by="channel")
    assert list(single.columns) == ["channel", "value", "note"]
    assert (table[table["metric"] == "cpl"]["value"].tolist()
            == single["value"].tolist())


@pytest.mark.parametrize(("argument", "call"), [
    ("by", lambda v: cpl(v, "2025-Q1", by="chanel")),
    ("by", lambda v: compute_all(v, "2025-Q1", by="chanel")),
    ("--by", lambda v: check_by("chanel", "--by")),
])
def test_a_dimension_typo_in_the_callers_words(view, argument: str, call) -> None:
    with pytest.raises(UsageError) as error:
        call(view)
    assert str(error.value) == (f"{argument} must be one of channel, campaign_id, segment, "
                                "rep_id, practice; not 'chanel' (did you mean 'channel'?)")


def test_a_view_keeps_its_as_of(view) -> None:
    with pytest.raises(UsageError, match=r"^as_of 2025-01-31: a View keeps its own as_of "
                                         r"\(2025-03-15\); prepare the Dataset"):
        prepare(view, "2025-01-31")
