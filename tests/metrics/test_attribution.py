"""Multi-touch attribution (CONTRACT section 3, "Attribution"), worked by hand.

The main fixture is one deal, O1: 1,000.00 won on 2025-04-29, its opportunity
created on 2025-04-01, its lead L1 created on 2025-03-10 10:00 through the
webinar campaign CW. Its lead's events with a campaign:

====  ==========  ==========  ======================================  =========
day   campaign    channel     what                                    days to close
====  ==========  ==========  ======================================  =========
2024-02-01  CO    content     older than 365 days before 2025-04-01: cut  -
2025-02-25  CC    content     T1, the first touch                      63
2025-03-10  CW    webinar     T2, the lead's creation (10:00)          49 14/24
2025-03-25  CP    paid_search T3, the last touch on or before 04-01    35
2025-04-15  CX    outbound    T4, after the opportunity was created    14
2025-05-05  CX    outbound    after the close: not a touchpoint        -
====  ==========  ==========  ======================================  =========

plus a page view without a campaign (no touchpoint).
"""

import math
from pathlib import Path

import numpy as np
import pandas as pd
import pytest

from b2bkit.core.errors import UsageError
from b2bkit.demo import write_demo
from b2bkit.metrics import (
    MODELS,
    NO_TOUCHPOINT,
    attributed_roi,
    attribution,
    bookings,
    load_view,
    prepare,
    removal_effects,
    touchpoints,
    won_deals,
)
from b2bkit.metrics.attribution import removal_effects_of_paths

from ._build import build

CAMPAIGNS = dict(campaign_id=["CO", "CC", "CW", "CP", "CX"],
                 name=["Old guide", "Guide", "Webinar", "Search", "Calls"],
                 channel=["content", "content", "webinar", "paid_search", "outbound"],
                 practice=["content_marketing", "content_marketing", "webinars", "paid_search",
                           "outbound_calls"])

ONE_DEAL = dict(
    campaigns=CAMPAIGNS,
    leads=dict(lead_id=["L1"], created_at=["2025-03-10T10:00:00"], channel=["webinar"],
               campaign_id=["CW"], account_id=["A1"]),
    accounts=dict(account_id=["A1"]),
    opportunities=dict(opportunity_id=["O1"], created_at=["2025-04-01"], status=["won"],
                       amount=[1000.0], account_id=["A1"], lead_id=["L1"],
                       closed_at=["2025-04-29"]),
    engagement=dict(
        date=["2024-02-01", "2025-02-25", "2025-03-25", "2025-04-15", "2025-05-05",
              "2025-03-01"],
        event_type=["download", "download", "email_click", "demo_request", "email_click",
                    "page_view"],
        lead_id=["L1"] * 6, campaign_id=["CO", "CC", "CP", "CX", "CX", None]),
    spend=dict(date=["2025-04-10", "2025-04-11", "2025-01-01"],
               channel=["webinar", "paid_search", "webinar"], amount=[200.0, 500.0, 999.0],
               campaign_id=["CW", "CP", "CW"]),
)

# cents per campaign, worked by hand from the table above
EXPECTED = {
    "lead_source": {"CW": 1000.00},
    "first_touch": {"CC": 1000.00},
    "last_touch": {"CP": 1000.00},
    "linear": {"CC": 250.00, "CW": 250.00, "CP": 250.00, "CX": 250.00},
    # 40% first, 40% the lead's creation, 20% shared by T3 and T4
    "u_shaped": {"CC": 400.00, "CW": 400.00, "CP": 100.00, "CX": 100.00},
    # 30% each to first, creation, last before the opportunity; 10% to T4 alone
    "w_shaped": {"CC": 300.00, "CW": 300.00, "CP": 300.00, "CX": 100.00},
    # weights 2^(-d/7), relative to T4: 2^-7, 2^(-35 7/12 / 7), 2^-3, 1 (sum 1.16227...);
    # in cents 672.15, 2537.71, 10754.46, 86035.67 floored leave 2 cents, which go to the
    # largest remainders (.71 and .67)
    "time_decay": {"CC": 6.72, "CW": 25.38, "CP": 107.54, "CX": 860.36},
}


@pytest.fixture(scope="module")
def one_deal():
    return prepare(build(**ONE_DEAL))


def credited(frame: pd.DataFrame, by: str = "campaign_id") -> dict[str, float]:
    shown = frame[frame["credited_bookings"] != 0]
    return dict(zip(shown[by], shown["credited_bookings"], strict=True))


@pytest.mark.parametrize("model", list(EXPECTED), ids=list(EXPECTED))
def test_each_model_splits_the_deal_as_the_contract_says(one_deal, model) -> None:
    frame = attribution(one_deal, "2025-Q2", model=model)
    assert credited(frame) == EXPECTED[model]
    assert frame["credited_won_deals"].sum() == pytest.approx(1.0)
    assert frame.attrs["model"] == model and frame.attrs["deals"] == 1


def test_the_touchpoints_in_time_order(one_deal) -> None:
    frame = touchpoints(one_deal, "2025-Q2")
    assert frame["campaign_id"].tolist() == ["CC", "CW", "CP", "CX"]
    assert frame["touch"].tolist() == ["download", "lead created", "email_click", "demo_request"]


def test_the_lookback_cuts_old_events(one_deal) -> None:
    # with 500 days the 2024-02-01 download (425 days before 2025-04-01) is the first touch
    assert credited(attribution(one_deal, "2025-Q2", model="first_touch",
                                lookback_days=500)) == {"CO": 1000.00}
    # with 30 days only T3 (7 days before), T4 and the lead's creation (always) are left
    assert credited(attribution(one_deal, "2025-Q2", model="linear", lookback_days=30)) == {
        "CW": 333.34, "CP": 333.33, "CX": 333.33}  # the odd cent to the earliest


def test_by_channel_and_practice(one_deal) -> None:
    assert credited(attribution(one_deal, "2025-Q2", model="u_shaped", by="channel"),
                    "channel") == {"content": 400.0, "webinar": 400.0, "paid_search": 100.0,
                                   "outbound": 100.0}
    assert credited(attribution(one_deal, "2025-Q2", model="w_shaped", by="practice"),
                    "practice") == {"content_marketing": 300.0, "webinars": 300.0,
                                    "paid_search": 300.0, "outbound_calls": 100.0}


def test_every_group_of_the_data_has_a_row(one_deal) -> None:
    frame = attribution(one_deal, "2025-Q2", model="first_touch")
    assert frame["campaign_id"].tolist() == ["CC", "CO", "CP", "CW", "CX"]
    assert frame.set_index("campaign_id")["touched_won_deals"].to_dict() == {
        "CC": 1, "CO": 0, "CP": 1, "CW": 1, "CX": 1}


def test_two_roles_on_one_touchpoint_add() -> None:
    # the lead's creation is also the first touch: u_shaped gives it 40% + 40%, the
    # other two 10% each; w_shaped 30% + 30% to it, 30% to the last touch before the
    # opportunity (CP), 10% to CX
    data = dict(ONE_DEAL, engagement=dict(
        date=["2025-03-25", "2025-04-15"], event_type=["email_click", "demo_request"],
        lead_id=["L1", "L1"], campaign_id=["CP", "CX"]))
    ds = build(**data)
    assert credited(attribution(ds, "2025-Q2", model="u_shaped")) == {
        "CW": 800.0, "CP": 100.0, "CX": 100.0}
    assert credited(attribution(ds, "2025-Q2", model="w_shaped")) == {
        "CW": 600.0, "CP": 300.0, "CX": 100.0}
    # one touchpoint holds every role: all of it
    alone = build(**dict(ONE_DEAL, engagement=dict(date=["2025-03-01"],
                                                   event_type=["page_view"], lead_id=["L1"])))
    for model in ("u_shaped", "w_shaped", "time_decay", "last_touch"):
        assert credited(attribution(alone, "2025-Q2", model=model)) == {"CW": 1000.0}


ACCOUNT = dict(
    campaigns=CAMPAIGNS,
    accounts=dict(account_id=["A1"]),
    # L2 is another person of the same company, with a lead of its own
    leads=dict(lead_id=["L1", "L2"], created_at=["2024-06-01", "2025-02-01"],
               channel=["webinar", "content"], campaign_id=["CW", "CC"],
               account_id=["A1", "A1"]),
    # O2 is a renewal: no lead
    opportunities=dict(opportunity_id=["O1", "O2"], created_at=["2024-06-10", "2025-04-01"],
                       status=["won", "won"], amount=[10.0, 1000.0], account_id=["A1", "A1"],
                       lead_id=["L1", None], closed_at=["2024-07-01", "2025-04-29"]),
    engagement=dict(
        date=["2025-03-01", "2025-03-20", "2025-04-15"],
        event_type=["download", "email_click", "demo_request"],
        lead_id=["L2", None, None], account_id=[None, "A1", "A1"],
        campaign_id=["CC", "CP", "CX"]),
)


def test_a_missing_role_is_spread_over_the_others_at_account_level() -> None:
    ds = build(**ACCOUNT)
    # the account's touchpoints: L2's download (CC, first), the account's CP (last before
    # the opportunity) and CX; no lead, so no lead creation
    frame = touchpoints(ds, "2025-Q2", level="account")
    assert frame["campaign_id"].tolist() == ["CC", "CP", "CX"]
    # u_shaped: 40% first; the creation's 40% joins the others' 20%: 30% each to CP and CX
    assert credited(attribution(ds, "2025-Q2", model="u_shaped", level="account")) == {
        "CC": 400.0, "CP": 300.0, "CX": 300.0}
    # w_shaped: 30% first, 30% last before the opportunity; 30% + 10% to CX alone
    assert credited(attribution(ds, "2025-Q2", model="w_shaped", level="account")) == {
        "CC": 300.0, "CP": 300.0, "CX": 400.0}
    # at lead level the renewal has no touchpoint at all
    lead = attribution(ds, "2025-Q2", model="u_shaped", level="lead")
    assert credited(lead) == {NO_TOUCHPOINT: 1000.0}
    assert lead.set_index("campaign_id").loc[NO_TOUCHPOINT, "credited_won_deals"] == 1.0
    # and lead_source never sees the account's events
    assert credited(attribution(ds, "2025-Q2", model="lead_source", level="account")) == {
        NO_TOUCHPOINT: 1000.0}


def test_last_touch_without_a_touchpoint_before_the_opportunity() -> None:
    # the lead was created after its opportunity and nothing came before: the last
    # touch's 100% is spread over the touchpoints there are
    data = dict(ONE_DEAL, opportunities=dict(ONE_DEAL["opportunities"],
                                             created_at=["2025-03-01"]),
                engagement=dict(date=["2025-04-15"], event_type=["demo_request"],
                                lead_id=["L1"], campaign_id=["CX"]))
    assert credited(attribution(build(**data), "2025-Q2", model="last_touch")) == {
        "CW": 500.0, "CX": 500.0}


def test_a_deal_without_touchpoint_and_the_odd_cents() -> None:
    data = dict(
        campaigns=CAMPAIGNS,
        leads=dict(lead_id=["L1"], created_at=["2025-04-01"], channel=["webinar"],
                   campaign_id=["CW"]),
        opportunities=dict(opportunity_id=["O1", "O2"], created_at=["2025-04-02"] * 2,
                           status=["won", "won"], amount=[100.0, 7.0], lead_id=["L1", None],
                           account_id=["A1", "A2"],
                           closed_at=["2025-04-20", "2025-04-21"]),
        engagement=dict(date=["2025-04-05", "2025-04-06"], event_type=["download"] * 2,
                        lead_id=["L1", "L1"], campaign_id=["CC", "CP"]))
    frame = attribution(build(**data), "2025-Q2", model="linear")
    assert credited(frame) == {"CW": 33.34, "CC": 33.33, "CP": 33.33, NO_TOUCHPOINT: 7.0}


def test_attributed_roi_against_the_groups_spend(one_deal) -> None:
    frame = attributed_roi(one_deal, "2025-Q2", model="u_shaped").set_index("campaign_id")
    # CW: (400 - 200) / 200; CP: (100 - 500) / 500; the 999 of 2025-01-01 is another period
    assert frame.loc["CW", ["spend", "roi"]].tolist() == [200.0, 1.0]
    assert frame.loc["CP", ["spend", "roi"]].tolist() == [500.0, -0.8]
    assert math.isnan(frame.loc["CC", "roi"]) and frame.loc["CC", "note"] == "no spend in 2025-Q2"


def test_bad_arguments_name_the_choices(one_deal) -> None:
    with pytest.raises(UsageError, match=r"model must be one of .*not 'liner' \(did you mean "
                                         r"'linear'\?\)"):
        attribution(one_deal, "2025-Q2", model="liner")
    with pytest.raises(UsageError, match="level must be one of lead, account"):
        attribution(one_deal, "2025-Q2", level="company")
    with pytest.raises(UsageError, match="by must be one of campaign_id, channel, practice"):
        attribution(one_deal, "2025-Q2", by="segment")
    with pytest.raises(UsageError, match="lookback_days must be"):
        attribution(one_deal, "2025-Q2", lookback_days=-1)


# --- the data-driven model ------------------------------------------------------------------

MARKOV = dict(
    campaigns=CAMPAIGNS,
    leads=dict(lead_id=["L1", "L2", "L3"], created_at=["2025-01-10", "2025-01-15", "2025-01-12"],
               channel=["webinar", "paid_search", "webinar"], campaign_id=["CW", "CP", "CW"]),
    opportunities=dict(opportunity_id=["O1", "O3"], created_at=["2025-02-01", "2025-02-05"],
                       status=["won", "won"], amount=[1000.0, 500.0], lead_id=["L1", "L3"],
                       account_id=["A1", "A3"],
                       closed_at=["2025-02-20", "2025-03-01"]),
    engagement=dict(date=["2025-01-20"], event_type=["email_click"], lead_id=["L1"],
                    campaign_id=["CP"]),
)


def test_markov_removal_effects_by_hand() -> None:
    # paths of 2025-Q1's leads: webinar > paid_search > won, paid_search > null,
    # webinar > won. From start: webinar 2/3, paid_search 1/3; webinar goes on to
    # paid_search or won half the time each; paid_search to won or null half each.
    # P(won) = 2/3 (1/2 + 1/2 * 1/2) + 1/3 * 1/2 = 2/3; without webinar 1/6 (effect 3/4),
    # without paid_search 2/3 * 1/2 = 1/3 (effect 1/2)
    ds = build(**MARKOV)
    effects = removal_effects(ds, "2025-Q1", by="channel").set_index("channel")
    assert effects["removal_effect"].to_dict() == pytest.approx(
        {"paid_search": 0.5, "webinar": 0.75})
    assert effects.attrs == {"paths": 3, "won_paths": 2}
    # O1's path has both: 3/4 : 1/2 = 60% : 40%; O3's only the webinar
    frame = attribution(ds, "2025-Q1", model="markov", by="channel")
    assert credited(frame, "channel") == {"paid_search": 400.0, "webinar": 1100.0}
    assert frame.attrs["paths"] == 3


def test_markov_matches_channelattribution() -> None:
    """The same paths through the ChannelAttribution package (pinned in the dev extra):
    it estimates the chain by simulation, so its removal effects agree to a few percent
    with the exact solution here."""
    ca = pytest.importorskip("ChannelAttribution")
    paths = pd.DataFrame({
        "path": ["webinar > email > demo", "email > demo", "webinar", "search > email",
                 "search", "email > webinar > demo", "demo", "search > webinar"],
        "conversions": [30, 12, 5, 4, 1, 9, 7, 2],
        "nulls": [10, 30, 40, 25, 60, 5, 3, 20],
    })
    ours = removal_effects_of_paths(paths["path"], paths["conversions"], paths["nulls"])
    theirs = ca.markov_model(paths, var_path="path", var_conv="conversions", var_null="nulls",
                             out_more=True, sep=">", verbose=False, flg_pro=False, seed=1,
                             nsim_start=1e6)
    effects = theirs["removal_effects"].set_index("channel_name")["removal_effect"]
    conversions = theirs["result"].set_index("channel_name")["total_conversions"]
    mine = ours.set_index("state")
    assert sorted(effects.index.str.strip()) == mine.index.tolist()
    effects.index = effects.index.str.strip()
    conversions.index = conversions.index.str.strip()
    assert mine["removal_effect"].to_dict() == pytest.approx(
        effects.reindex(mine.index).to_dict(), rel=0.03)
    assert mine["total_conversions"].to_dict() == pytest.approx(
        conversions.reindex(mine.index).to_dict(), rel=0.03)


# --- on the demo and at scale ---------------------------------------------------------------


def _sums_to_bookings(view, period: str) -> None:
    booked, won = bookings(view, period), won_deals(view, period)
    for level in ("lead", "account"):
        for model in MODELS:
            frame = attribution(view, period, model=model, level=level)
            cents = np.rint(frame["credited_bookings"].to_numpy() * 100).astype(np.int64)
            assert cents.sum() == frame.attrs["cents"] == round(booked * 100), (model, level)
            assert frame["credited_won_deals"].sum() == pytest.approx(won), (model, level)


@pytest.fixture(scope="module")
def demo_view():
    return load_view(Path(__file__).parents[2] / "data" / "demo")[1]


def test_every_model_adds_up_to_the_bookings_on_the_demo(demo_view) -> None:
    for period in ("2025-Q3", "2025-Q4", "2025"):
        _sums_to_bookings(demo_view, period)


@pytest.mark.slow
def test_every_model_adds_up_to_the_bookings_at_scale_20(tmp_path_factory) -> None:
    folder = tmp_path_factory.mktemp("s20")
    write_demo(folder, scale=20)
    view = load_view(folder, cache=False)[1]
    _sums_to_bookings(view, "2025-Q4")
