"""Visitors, attendance with de-duplication, engaged leads, and event dimensions."""

from b2bkit.metrics import engaged_leads, event_attendance, unique_visitors

from ._build import build

DATA = dict(
    campaigns=dict(campaign_id=["C1", "C2"], name=["Web", "Expo"],
                   channel=["webinar", "trade_show"]),
    leads=dict(lead_id=["L1", "L2"], created_at=["2025-01-01", "2025-03-01"],
               channel=["content", "content"]),
    engagement=dict(
        date=["2025-01-05", "2025-01-05", "2025-01-05", "2025-01-06", "2025-01-07",
              "2025-01-07", "2025-01-08", "2025-01-08", "2025-02-01"],
        event_type=["webinar_attended", "webinar_attended", "page_view", "page_view",
                    "event_attended", "event_attended", "event_attended", "event_attended",
                    "email_open"],
        visitor_id=["V1", "V1", "V1", "V2", "V3", "V3", None, None, "V9"],
        lead_id=["L1", "L1", None, None, None, None, None, None, "L2"],
        campaign_id=["C1", "C1", None, None, "C2", "C2", "C2", "C2", None],
    ),
)


def test_attendance_counts_each_person_once_per_event_and_day() -> None:
    ds = build(**DATA)
    # L1 at C1 twice -> 1; V3 at C2 twice -> 1; two anonymous scans -> 2 (no person to match)
    assert event_attendance(ds, "2025-01") == 4
    assert unique_visitors(ds, "2025-01") == 2


def test_events_take_dimensions_from_lead_else_campaign() -> None:
    frame = event_attendance(build(**DATA), "2025-01", by="channel").set_index("channel")
    # L1's attendance goes to its lead's channel (content), not the webinar campaign
    assert frame["value"].to_dict() == {"(unknown)": 0, "content": 1, "trade_show": 3}


def test_engaged_leads_exist_by_the_period_end() -> None:
    ds = build(**DATA)
    assert engaged_leads(ds, "2025-01") == 1      # L1
    # L2's event is on 02-01, but L2 is created 03-01: not yet a lead at February's end
    assert engaged_leads(ds, "2025-02") == 0
    assert engaged_leads(ds, "2025-Q1") == 2


def test_attendance_keys_are_tuples_of_person_campaign_day_and_type() -> None:
    data = dict(
        leads=dict(lead_id=["L1"], created_at=["2025-01-01"], channel=["content"]),
        engagement=dict(
            date=["2025-01-05 09:00", "2025-01-05 17:30", "2025-01-05 10:00", "2025-01-06 10:00",
                  "2025-01-05 10:00", "2025-01-05 10:00"],
            event_type=["webinar_attended", "webinar_attended", "webinar_attended",
                        "webinar_attended", "event_attended", "webinar_attended"],
            # row 2: no lead, visitor "L1" is the same person text as lead L1 (as before)
            visitor_id=["V1", "V2", "L1", "V1", "V1", "V1"],
            lead_id=["L1", "L1", None, "L1", "L1", "L1"],
            campaign_id=[None, None, None, None, None, "C9"],
        ),
    )
    # (L1, -, 01-05, webinar) x3 -> 1; (L1, -, 01-06, webinar); (L1, -, 01-05, event);
    # (L1, C9, 01-05, webinar): 4 distinct
    assert event_attendance(build(**data), "2025-01") == 4


def test_unique_visitors_split_counts_a_visitor_in_each_group() -> None:
    frame = unique_visitors(build(**DATA), "2025-01", by="channel").set_index("channel")
    # V1 and V2 viewed pages with no lead or campaign: both in (unknown)
    assert frame["value"].to_dict() == {"(unknown)": 2, "content": 0, "trade_show": 0}
