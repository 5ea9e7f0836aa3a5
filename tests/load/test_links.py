"""Foreign-key positions computed once (b2bkit.load.links) and reused by the fill and the View."""

import numpy as np
import pandas as pd

from b2bkit.load.dataset import from_frames
from b2bkit.load.links import fill_lead_link, first_per, links_of, parent_positions


def _frames():
    # L1 is named by O2 and O1, created at the same moment, O2 on the first row;
    # O3 names no lead, and L2 names O3
    return {
        "leads": pd.DataFrame({"lead_id": ["L1", "L2"],
                               "created_at": pd.to_datetime(["2025-01-01", "2025-01-02"]),
                               "opportunity_id": pd.array([None, "O3"], dtype="string")}),
        "opportunities": pd.DataFrame({
            "opportunity_id": ["O2", "O1", "O3"],
            "lead_id": pd.array(["L1", "L1", None], dtype="string"),
            "created_at": pd.to_datetime(["2025-01-05", "2025-01-05", "2025-01-06"])}),
    }


def test_fill_goes_to_the_earliest_then_the_lower_id():
    frames = _frames()
    links = links_of(frames)
    fill_lead_link(frames, links)
    assert frames["leads"]["opportunity_id"].tolist() == ["O1", "O3"]
    assert frames["opportunities"]["lead_id"].tolist() == ["L1", "L1", "L2"]
    # the links of the filled cells are those a fresh look-up of the ids gives
    for child, column, parent, key in (("leads", "opportunity_id", "opportunities",
                                        "opportunity_id"),
                                       ("opportunities", "lead_id", "leads", "lead_id")):
        again = parent_positions(frames[parent][key], frames[child][column])
        assert links[(child, column)].tolist() == again.tolist()
    assert links[("leads", "opportunity_id")].tolist() == [1, 2]


def test_the_loader_keeps_the_filled_links():
    frames = _frames()
    frames["leads"]["channel"] = ["ads", "ads"]
    frames["opportunities"]["status"] = "open"
    frames["opportunities"]["amount"] = 1.0
    ds = from_frames(frames)
    assert ds["leads"]["opportunity_id"].tolist() == ["O1", "O3"]
    assert ds.links[("opportunities", "lead_id")].tolist() == [0, 0, 1]


def test_first_per_breaks_ties_by_the_last_level():
    keys, rows = np.array([0, 0, 0]), np.array([0, 1, 2])
    assert first_per(keys, rows, 1, np.array([5, 5, 4])).tolist() == [2]
    assert first_per(keys, rows, 1, np.array([5, 5, 6]), np.array([1, 0, 0])).tolist() == [1]


def test_id_rank_is_the_sorted_order_of_the_text_with_missing_first():
    from b2bkit.load.links import id_rank

    ids = pd.Series(["b", "a", None, "B", "é", "a"], dtype="string")
    # code point order: "B" < "a" < "b" < "é"; equal ids share a rank; a missing id is -1
    assert id_rank(ids).tolist() == [2, 1, -1, 0, 3, 1]
    assert id_rank(pd.Series([10, 9, 100])).tolist() == [0, 2, 1]  # as text: "10" < "100" < "9"


def test_take_gives_missing_at_minus_one_and_keeps_the_categories():
    from b2bkit.load.links import take

    values = pd.Series(["x", None, "y"], dtype="category")
    taken = take(values, np.array([2, -1, 1, 0, 2]))
    assert taken.tolist() == ["y", np.nan, np.nan, "x", "y"]
    assert list(taken.cat.categories) == ["x", "y"]
