"""Who gets the credit (b2bkit.analysis.attribution) and the strategy review's model sentence.

The tiny fixture, worked by hand: two deals won in 2025-Q4, three channels.

=====  ======  ===========================================  ========================
deal   amount  touchpoints (time order)                     opportunity created
=====  ======  ===========================================  ========================
O1     1,000   content event 09-20, lead created webinar    10-10, won 10-20
               10-01
O2       600   lead created paid_search 10-05, content      10-15, won 10-25
               event 10-12
=====  ======  ===========================================  ========================

Credited bookings per channel (content / paid_search / webinar):

- lead source: 0 / 600 / 1,000 (each deal to its lead's channel);
- first touch: 1,000 / 600 / 0 (O1's first touch is the content event);
- last touch (on or before the opportunity): 600 / 0 / 1,000 (O1: its lead's creation on
  10-01; O2: the content event on 10-12);
- linear: 500 + 300 = 800 / 300 / 500.

Spend in 2025-Q4: content 200, paid_search 400, webinar 500.
"""

import math

import numpy as np
import pandas as pd
import pytest

from b2bkit.analysis import attribution as at
from b2bkit.analysis import review
from b2bkit.load.dataset import from_frames
from b2bkit.load.settings import Settings
from b2bkit.metrics import attribution, load_view, prepare
from b2bkit.reports import notebook as nb
from tests.reports.test_visible_text import problems

MODELS4 = ("lead_source", "first_touch", "last_touch", "linear")

TABLES = {
    "campaigns": {"campaign_id": ["C1", "C2", "C3"], "name": ["Webinar", "Guide", "Search"],
                  "channel": ["webinar", "content", "paid_search"],
                  "practice": ["webinars", "content_marketing", "paid_search"]},
    "accounts": {"account_id": ["A1", "A2"]},
    "leads": {"lead_id": ["L1", "L2"], "created_at": ["2025-10-01", "2025-10-05"],
              "channel": ["webinar", "paid_search"], "campaign_id": ["C1", "C3"],
              "account_id": ["A1", "A2"]},
    "opportunities": {"opportunity_id": ["O1", "O2"], "lead_id": ["L1", "L2"],
                      "account_id": ["A1", "A2"], "created_at": ["2025-10-10", "2025-10-15"],
                      "closed_at": ["2025-10-20", "2025-10-25"], "status": ["won", "won"],
                      "amount": [1000.0, 600.0]},
    "engagement": {"date": ["2025-09-20", "2025-10-12"],
                   "event_type": ["download", "email_click"], "lead_id": ["L1", "L2"],
                   "campaign_id": ["C2", "C2"]},
    "spend": {"date": ["2025-10-01", "2025-10-01", "2025-10-01"],
              "channel": ["content", "paid_search", "webinar"], "amount": [200.0, 400.0, 500.0],
              "campaign_id": ["C2", "C3", "C1"]},
}

DATA_NAMES = {"paid_search", "content_marketing", "trade_show", "trade_shows",
              "referral_program", "outbound_calls", "C1", "C2", "C3"}


def _view(**drop_or_replace: dict | None):
    tables = {**TABLES, **drop_or_replace}
    frames = {name: pd.DataFrame(columns) for name, columns in tables.items() if columns}
    return prepare(from_frames(frames, settings=Settings.from_dict(
        {"as_of": "2025-12-31", "currency": "EUR"}, source="test")))


@pytest.fixture(scope="module")
def view():
    return _view()


@pytest.fixture(scope="module")
def long(view):
    return at.side_by_side(view, "2025-Q4", by="channel", models=MODELS4)


# --- side_by_side -----------------------------------------------------------------------------


def test_side_by_side_credits_each_model_as_worked_by_hand(long) -> None:
    booked = long.pivot(index="channel", columns="model", values="credited_bookings")
    expected = pd.DataFrame({"lead_source": [0.0, 600.0, 1000.0],
                             "first_touch": [1000.0, 600.0, 0.0],
                             "last_touch": [600.0, 0.0, 1000.0],
                             "linear": [800.0, 300.0, 500.0]},
                            index=pd.Index(["content", "paid_search", "webinar"], name="channel"))
    pd.testing.assert_frame_equal(booked[list(MODELS4)], expected, check_names=False)


def test_side_by_side_shares_and_roi(long) -> None:
    lead_source = long[long["model"] == "lead_source"].set_index("channel")
    assert lead_source["share"].to_dict() == {"content": 0.0, "paid_search": 0.375,
                                              "webinar": 0.625}
    # (bookings - spend) / spend: (0 - 200) / 200, (600 - 400) / 400, (1000 - 500) / 500
    assert lead_source["roi"].to_dict() == {"content": -1.0, "paid_search": 0.5,
                                            "webinar": 1.0}
    linear = long[long["model"] == "linear"].set_index("channel")
    assert linear["roi"].to_dict() == {"content": 3.0, "paid_search": -0.25, "webinar": 0.0}
    assert long.groupby("model")["share"].sum().tolist() == [1.0] * 4
    assert long.attrs["units"]["credited_bookings"] == "currency"


def test_side_by_side_with_markov_counts_the_paths(view) -> None:
    long = at.side_by_side(view, "2025-Q4", by="channel", models=("linear", "markov"))
    assert (long.attrs["paths"], long.attrs["won_paths"]) == (2, 2)  # L1 and L2, both won
    assert long.groupby("model")["credited_bookings"].sum().to_dict() == {
        "linear": 1600.0, "markov": 1600.0}


def test_credit_table_orders_by_mean_credit_and_keeps_units(long) -> None:
    # means: webinar 625, content 600, paid_search 375
    table = at.credit_table(long, by="channel")
    assert table.index.tolist() == ["webinar", "content", "paid_search"]
    assert table.columns.tolist() == list(MODELS4)
    assert table.loc["content"].tolist() == [0.0, 1000.0, 600.0, 800.0]
    assert table.attrs["units"] == dict.fromkeys(MODELS4, "currency")
    assert at.credit_table(long, by="channel", top=1).index.tolist() == ["webinar"]
    shown = at.shown(at.credit_table(long, by="channel", value="roi"))
    assert shown.columns.tolist() == ["channel", "lead source", "first touch", "last touch",
                                      "linear"]
    assert shown.attrs["units"] == {"lead source": "rate", "first touch": "rate",
                                    "last touch": "rate", "linear": "rate"}


def test_share_frame_rows_sum_to_one_and_are_drawn(long) -> None:
    from b2bkit import plots

    shares = at.share_frame(long, by="channel")
    assert shares.index.tolist() == ["lead source", "first touch", "last touch", "linear"]
    assert shares.loc["linear"].tolist() == [0.3125, 0.5, 0.1875]  # webinar, content, paid
    ax = plots.share_bars(shares, title="t")
    widths = [round(float(p.get_width()), 4) for p in ax.patches]
    assert widths[:4] == [0.3125, 0.625, 0.0, 0.625]  # webinar's, bottom (linear) up


# --- ranks ------------------------------------------------------------------------------------


def test_ranks_rank_only_what_each_model_credits(long) -> None:
    expected = pd.DataFrame({"lead_source": [1.0, 2.0, np.nan],
                             "first_touch": [np.nan, 2.0, 1.0],
                             "last_touch": [1.0, np.nan, 2.0],
                             "linear": [2.0, 3.0, 1.0]},
                            index=pd.Index(["webinar", "paid_search", "content"],
                                           name="channel"))
    pd.testing.assert_frame_equal(at.ranks(long, by="channel"), expected)


def test_ranks_leave_out_unknown_and_no_touchpoint() -> None:
    long = pd.DataFrame({"channel": ["(unknown)", "(no touchpoint)", "ads"],
                         "model": ["linear"] * 3, "credited_bookings": [900.0, 800.0, 1.0]})
    assert at.ranks(long, by="channel")["linear"].to_dict() == {"ads": 1.0}


def test_ties_rank_by_name() -> None:
    long = pd.DataFrame({"channel": ["b", "a"], "model": ["linear"] * 2,
                         "credited_bookings": [5.0, 5.0]})
    assert at.ranks(long, by="channel")["linear"].to_dict() == {"a": 1.0, "b": 2.0}


# --- sentences --------------------------------------------------------------------------------


def test_model_sentence_names_the_tops_by_model(long) -> None:
    assert at.model_sentence(at.ranks(long, by="channel"), by="channel") == (
        "The top channel changes with the model: webinar under lead source and last touch; "
        "content under first touch and linear.")


def test_model_sentence_when_the_top_does_not_change() -> None:
    table = pd.DataFrame({"u_shaped": [1.0, 2.0], "time_decay": [1.0, 2.0]},
                         index=pd.Index(["C7", "C8"], name="campaign_id"))
    assert at.model_sentence(table) == ("C7 ranks first under all 2 models: the top campaign "
                                        "does not depend on the model.")


def test_rank_sentence_lists_every_move(long) -> None:
    assert at.rank_sentence(at.ranks(long, by="channel"), by="channel") == (
        "3 of 3 channels change rank with the model: webinar (1st to 2nd, no credit under 1 "
        "model), content (1st to 2nd, no credit under 1 model), paid_search (2nd to 3rd, no "
        "credit under 1 model).")
    steady = pd.DataFrame({"linear": [1.0, 2.0], "markov": [1.0, 2.0]},
                          index=pd.Index(["a", "b"], name="channel"))
    assert at.rank_sentence(steady, by="channel") == (
        "Every channel keeps its rank under every model.")


def test_spread_sentence_the_most_different_models(long) -> None:
    # bookings that change channel between two models: half the sum of the share gaps;
    # lead source against first touch: (0.625 + 0 + 0.625) / 2 = 62.5% of 1,600 = 1,000
    # (first touch against last touch ties it; the earlier pair is named)
    assert at.spread_sentence(long, by="channel", currency="EUR") == (
        "Between the two models that differ most, lead source and first touch, 62.5% of the "
        "period's bookings (1,000.00 EUR) go to another channel; content moves the most: from "
        "0.00 EUR under lead source to 1,000.00 EUR under first touch.")


def test_spread_sentence_without_bookings() -> None:
    long = pd.DataFrame({"channel": ["a"], "model": ["linear"], "credited_bookings": [0.0]})
    assert at.spread_sentence(long, by="channel") == (
        "No won deal of the period to credit, so the models cannot differ.")


def test_markov_sentence_gives_the_paths_and_warns(view) -> None:
    long = at.side_by_side(view, "2025-Q4", by="channel", models=("markov",))
    sentence = at.markov_sentence(long)
    assert sentence.startswith("The Markov model learns from 2 paths (every lead of the "
                               "period, won or not), 2 of them ending in a won deal;")
    assert "unstable" in sentence
    assert at.markov_sentence(pd.DataFrame({"model": ["linear"]})) == ""
    assert len(at.credit_sentences(long, by="channel")) == 4
    assert len(at.credit_sentences(long, by="channel", markov=False)) == 3


def test_missing_reason_without_engagement_or_touched_deals(view, long) -> None:
    assert at.missing_reason(view, "2025-Q4", long, by="channel") == ""
    assert at.missing_reason(_view(engagement=None), "2025-Q4").startswith(
        "the dataset has no engagement table")
    no_leads = _view(leads=None)  # every deal without a lead: nothing to split
    long = at.side_by_side(no_leads, "2025-Q4", by="channel", models=("linear",))
    assert at.missing_reason(no_leads, "2025-Q4", long, by="channel") == (
        "no deal won in 2025-Q4 has a touchpoint to credit.")


# --- the worked example -----------------------------------------------------------------------

#: One deal of 10,000, touches 28, 21, 14 and 7 days before its close (2025-10-29):
#: K1 guide (first touch), K2 webinar (the lead's creation), K3 email (the last touch before
#: the opportunity of 2025-10-16), K4 trade show. Worked by hand:
WORKED = {
    "lead_source": {"K2": 10000.0},
    "first_touch": {"K1": 10000.0},
    "last_touch": {"K3": 10000.0},
    "linear": {"K1": 2500.0, "K2": 2500.0, "K3": 2500.0, "K4": 2500.0},
    # 40% first, 40% the lead's creation, 20% shared by the two others
    "u_shaped": {"K1": 4000.0, "K2": 4000.0, "K3": 1000.0, "K4": 1000.0},
    # 30% each to first, creation and last before the opportunity, 10% to the fourth
    "w_shaped": {"K1": 3000.0, "K2": 3000.0, "K3": 3000.0, "K4": 1000.0},
    # 2^(-28/7), 2^(-21/7), 2^(-14/7), 2^(-7/7) = 1/16, 2/16, 4/16, 8/16: 1/15 .. 8/15; in
    # cents 66,666.67 / 133,333.33 / 266,666.67 / 533,333.33, the two cents left to the .67s
    "time_decay": {"K1": 666.67, "K2": 1333.33, "K3": 2666.67, "K4": 5333.33},
    # the only path, won: removing any of its four channels loses it, every effect is 1
    "markov": {"K1": 2500.0, "K2": 2500.0, "K3": 2500.0, "K4": 2500.0},
}


@pytest.mark.parametrize("model", list(WORKED), ids=list(WORKED))
def test_the_worked_example_by_the_catalogue(model) -> None:
    frame = attribution(at.worked_example_dataset(), "2025-Q4", model=model)
    shown = frame[frame["credited_bookings"] != 0]
    assert dict(zip(shown["campaign_id"], shown["credited_bookings"], strict=True)) == \
        WORKED[model]
    assert math.isclose(frame["credited_bookings"].sum(), 10000.0)


def test_the_worked_example_table() -> None:
    table = at.worked_example()
    assert table["date"].tolist() == ["2025-10-01", "2025-10-08", "2025-10-15", "2025-10-22"]
    assert table["channel"].tolist() == ["content", "webinar", "email", "event"]
    for model, credit in WORKED.items():
        assert table[model].tolist() == [credit.get(k, 0.0) for k in ("K1", "K2", "K3", "K4")]
    assert table.attrs["units"]["time_decay"] == "currency"


# --- the strategy review ----------------------------------------------------------------------


def test_attribution_sentence_when_nothing_changes() -> None:
    table = pd.DataFrame({"practice": ["webinars"], "verdict": ["keep"]})
    verdicts = pd.DataFrame({"lead_source": ["keep"], "u_shaped": ["keep"],
                             "time_decay": ["keep"]},
                            index=pd.Index(["webinars"], name="practice"))
    assert review.attribution_sentence(verdicts, table) == (
        "The return credits each won deal to the practice of the campaign its lead came in "
        "through (the lead source model). Under the other rule-based models (U-shaped and time "
        "decay) no verdict would change.")


def test_attribution_sentence_names_the_changes() -> None:
    table = pd.DataFrame({"practice": ["webinars", "paid_search", "events"],
                          "verdict": ["keep", "too little data", "drop"]})
    verdicts = pd.DataFrame({"first_touch": ["optimize", "too little data", "drop"],
                             "time_decay": ["keep", "keep", "drop"]},
                            index=pd.Index(["webinars", "paid_search", "events"],
                                           name="practice"))
    assert review.attribution_sentence(verdicts, table) == (
        "The return credits each won deal to the practice of the campaign its lead came in "
        "through (the lead source model). Under another rule-based model the verdict of 2 "
        "practices would change: webinars would be optimize under first touch (keep here); "
        "paid_search would be keep under time decay (too little data here).")


@pytest.fixture(scope="module")
def demo_review():
    _, view = load_view("data/demo")
    rules = review.rules_for(view, "2025-Q3", review.Thresholds(), "2025-Q2")
    table = review.decision_table(view, "2025-Q3", rules, "2025-Q2")
    verdicts = review.model_verdicts(view, "2025-Q3", table, rules, "2025-Q2",
                                     models=at.RULE_BASED)
    return view, table, verdicts


def test_lead_source_gives_back_the_review_verdicts(demo_review) -> None:
    _, table, verdicts = demo_review
    assert verdicts.index.tolist() == table["practice"].tolist()
    assert verdicts["lead_source"].tolist() == table["verdict"].tolist()
    assert verdicts.columns.tolist() == list(at.RULE_BASED)


def test_the_demo_review_names_the_one_verdict_that_moves(demo_review) -> None:
    # outbound_calls: too little data by its own leads; time decay credits it with enough of
    # the deals its calls touched last to make the return clearly meet its target
    _, table, verdicts = demo_review
    moved = verdicts.ne(table.set_index("practice")["verdict"], axis=0)
    assert moved.sum().to_dict() == {"lead_source": 0, "first_touch": 0, "last_touch": 0,
                                     "linear": 0, "u_shaped": 0, "w_shaped": 0,
                                     "time_decay": 1}
    assert review.attribution_sentence(verdicts, table).endswith(
        "the verdict of 1 practice would change: outbound_calls would be keep under time decay "
        "(too little data here).")


# --- plain language ---------------------------------------------------------------------------


def _headers(table: pd.DataFrame) -> str:
    """The headers a reader sees of a table shown by the reports' nb.readable."""
    shown = nb.readable(table, currency="EUR")
    return " ".join([str(shown.index.name), *map(str, shown.columns)])


def test_every_sentence_and_header_is_plain_language(view, long, demo_review) -> None:
    demo_view, table, verdicts = demo_review
    demo_long = at.side_by_side(demo_view, "2025-Q4", by="campaign_id")
    texts = [*at.credit_sentences(long, by="channel", currency="EUR"),
             *at.credit_sentences(demo_long, currency="EUR"),
             at.chart_title(at.ranks(long, by="channel"), "2025-Q4", by="channel"),
             at.missing_reason(_view(engagement=None), "2025-Q4"),
             at.missing_reason(view, "2025-Q4", long.assign(credited_bookings=0.0), by="channel"),
             review.attribution_sentence(verdicts, table),
             _headers(at.shown(at.worked_example().set_index("touchpoint"))),
             " ".join(at.worked_example()["touchpoint"]),
             _headers(at.shown(at.ranks(demo_long))),
             _headers(at.shown(at.credit_table(long, by="channel", value="roi"))),
             " ".join(at.share_frame(long, by="channel").index)]
    data_names = DATA_NAMES | set(demo_long["campaign_id"])
    assert problems(list(enumerate(texts)), data_names) == []
    assert all("_" not in name for name in at.MODEL_NAMES.values())
