"""Changes of rates are percentage points, never percent."""

import pytest

from b2bkit.core.formatting import format_change


@pytest.mark.parametrize(("value", "unit", "text"), [
    (0.035, "rate", "+3.5 pp"),          # 45.0% -> 48.5%
    (-0.110, "rate", "-11.0 pp"),         # 46.8% -> 35.8%
    (0.00004, "rate", "±0.0 pp"),
    (250.0, "currency", "+250.00 CHF"),
    (-3.0, "count", "-3"),
    (1.25, "days", "+1.2 days"),
    (0.5, "ratio", "+0.50"),
    (None, "rate", "n/a"),
])
def test_format_change(value, unit, text) -> None:
    assert format_change(value, unit, "CHF") == text
    assert "%" not in format_change(value, unit, "CHF")
