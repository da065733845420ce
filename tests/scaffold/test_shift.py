"""Date fields come from the schema; the default shift keeps weekdays."""

from __future__ import annotations

from datetime import date, timedelta

from campaignctl.scaffold.shift import date_fields, date_paths, default_shift, shifted


def test_every_date_field_of_the_spec_is_known() -> None:
    paths = {".".join(p) for p, _ in date_paths()}
    assert {
        "period.start",
        "period.end",
        "period.registration.start",
        "period.purchase.end",
        "period.claim_deadline",
        "period.winners_announced_by",
        "draws.*.at",
        "draws.*.entries.start",
        "mechanics.loyalty.criteria.window.end",
        "mechanics.dated_tiers.*.start",
    } <= paths


def test_date_fields_of_data() -> None:
    data = {"period": {"start": "2027-01-01"}, "draws": [{"at": "2027-02-01T10:00:00+03:00"}]}
    assert sorted(date_fields(data)) == [
        ("/draws/0/at", "date-time", "2027-02-01T10:00:00+03:00"),
        ("/period/start", "date", "2027-01-01"),
    ]


def test_shifted_keeps_time_and_offset() -> None:
    assert shifted("2027-12-31T23:30:00+03:00", 1) == "2028-01-01T23:30:00+03:00"
    assert shifted("2027-02-28", 1) == "2027-03-01"


def test_default_shift() -> None:
    assert default_shift(date(2027, 6, 7), date(2026, 11, 24)) == 364
    start = date(2025, 6, 2)
    days = default_shift(start, date(2026, 11, 24))
    assert days == 2 * 364  # 2027-05-31: the first same-weekday date on or after today
    assert (start + timedelta(days=days)).weekday() == start.weekday()
