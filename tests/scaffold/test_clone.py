"""Cloning a past campaign: what moves, what never comes along, what is reported."""

from __future__ import annotations

from datetime import date, timedelta
from pathlib import Path

import pytest

from campaignctl.errors import SpecInvalid, UserError
from campaignctl.scaffold import clone_campaign
from campaignctl.scaffold.folder import CAMPAIGN_FILE
from campaignctl.scaffold.shift import date_fields, parse_day
from campaignctl.spec import check_file
from campaignctl.spec.loader import load_document
from tests.scaffold.conftest import FIXTURE, Secrets

TODAY = date(2026, 11, 24)


def _names(folder: Path) -> list[str]:
    return sorted(p.name for p in folder.iterdir())


def _all_files(folder: Path) -> dict[str, bytes]:
    return {
        p.relative_to(folder).as_posix(): p.read_bytes()
        for p in folder.rglob("*")
        if p.is_file() or p.is_symlink()
    }


def test_clone_validates_and_shares_no_secret_or_state(
    past: tuple[Path, Secrets], tmp_path: Path
) -> None:
    source, secrets = past
    dest = tmp_path / "new"
    result = clone_campaign(source, dest, today=TODAY)
    assert result.report.ok, [d.render() for d in result.report.errors]
    assert check_file(dest / CAMPAIGN_FILE).ok
    files = _all_files(dest)
    for name in secrets.paths:
        assert not any(f == name or f.startswith(f"{name}/") for f in files), name
        assert any(s.path.rstrip("/") == name for s in result.skipped), name
    for name, body in files.items():
        for blob in secrets.blobs:
            assert blob not in body, f"{name} holds a secret of the past campaign"
    assert not any(p.is_symlink() for p in dest.rglob("*"))
    assert not any(name.endswith((".csv", ".db", ".key", ".xlsx")) for name in files)
    old = load_document(source / CAMPAIGN_FILE).data["campaign"]
    new = load_document(dest / CAMPAIGN_FILE).data["campaign"]
    assert new["id"] != old.get("id")
    assert new["slug"] != old["slug"]
    assert (dest / "assets").is_dir()
    # each past campaign's texts name its dates somewhere; the clone says where
    assert any("is an old date" in item.message for item in result.review)


def test_clone_shifts_every_date_by_the_same_days(
    past: tuple[Path, Secrets], tmp_path: Path
) -> None:
    source, _ = past
    result = clone_campaign(source, tmp_path / "new", start=date(2028, 3, 6), today=TODAY)
    old = load_document(source / CAMPAIGN_FILE).data
    new = load_document(tmp_path / "new" / CAMPAIGN_FILE).data
    old_dates = {p: v for p, _, v in date_fields(old)}
    new_dates = {p: v for p, _, v in date_fields(new)}
    assert old_dates.keys() == new_dates.keys()
    assert new["period"]["start"] == "2028-03-06"
    delta = timedelta(days=result.shift_days)
    for pointer, value in old_dates.items():
        moved = new_dates[pointer]
        assert parse_day(moved) == parse_day(value) + delta, pointer  # type: ignore[operator]
        assert moved[10:] == value[10:], pointer  # time of day and offset kept
    assert len([c for c in result.changes if c.field != "campaign.id"]) >= len(old_dates)


def test_clone_keeps_everything_else_byte_for_byte(tmp_path: Path) -> None:
    result = clone_campaign(FIXTURE, tmp_path / "new", shift_days=364, today=TODAY)
    old_lines = (FIXTURE / CAMPAIGN_FILE).read_text(encoding="utf-8").splitlines()
    new_lines = (tmp_path / "new" / CAMPAIGN_FILE).read_text(encoding="utf-8").splitlines()
    assert len(old_lines) == len(new_lines)
    changed_lines = {c.line for c in result.changes}
    for number, (old, new) in enumerate(zip(old_lines, new_lines, strict=True), start=1):
        if number == 1:
            assert new.startswith("# yaml-language-server: $schema=")
        elif number not in changed_lines:
            assert old == new, number
    text = "\n".join(new_lines)
    assert "  start: '2027-05-31'   # the first Monday of June" in text
    assert '  end: "2027-10-14"' in text
    assert "registration: {start: 2027-05-31, end: 2027-08-30}" in text
    assert 'at: "2027-09-06T15:30:00+03:00"' in text
    assert "slug: chai-receipts-2027" in text
    assert (tmp_path / "new" / "assets" / "logo.svg").read_bytes() == (
        FIXTURE / "assets" / "logo.svg"
    ).read_bytes()


def test_clone_reports_stale_mentions_of_old_dates(tmp_path: Path) -> None:
    result = clone_campaign(FIXTURE, tmp_path / "new", shift_days=365, today=TODAY)
    said = [item.render() for item in result.review]
    expected = {
        "campaign.description": "'1 июня' is an old date -> '1 июня'?",
        "campaign.description:": "'31 августа 2026 года' is an old date -> '31 августа 2027 года'?",
        "draws[0].name": "'01.06' is an old date -> '01.06'?",
        "channels.site.faq[0].answer": "'7 сентября 2026 г.' is an old date -> '7 сентября 2027 г.'?",
        "rules.claim.deadline": "'01.10.2026' is an old date -> '01.10.2027'?",
        "rules.extra_terms[0]": "'2026-08-31' is an old date -> '2027-08-31'?",
        "comment": "'31.08.2026' is an old date -> '31.08.2027'?",
    }
    for where, message in expected.items():
        assert any(f"{where.rstrip(':')}: {message}" in line for line in said), (where, said)
    assert any("campaign.name: '2026' is the old year -> '2027'?" in line for line in said)
    assert any(line.startswith("README.md:3:") and "June 1, 2026" in line for line in said)
    assert any("consent.md" in line and "15 октября 2026 года" in line for line in said)
    assert not any("27.07.2006" in line for line in said)  # the law's date is not the campaign's
    assert any("weekday" in line and "понедельник" in line for line in said)  # 365 % 7 != 0
    assert any("prize stock carried over: 10 x 3000 RUB 'cert'" in line for line in said)
    assert any("crm.secret_ref: secret not copied" in line for line in said)
    assert any("mechanics.dated_tiers[1]" in line for line in said)
    assert not any(line.startswith(f"{CAMPAIGN_FILE}:") and "period." in line for line in said)


def test_whole_weeks_keep_weekday_mentions_quiet(tmp_path: Path) -> None:
    result = clone_campaign(FIXTURE, tmp_path / "new", shift_days=364, today=TODAY)
    assert not any("weekday" in item.message for item in result.review)


def test_default_shift_is_whole_years_of_weeks_reaching_today(tmp_path: Path) -> None:
    result = clone_campaign(FIXTURE, tmp_path / "new", today=date(2027, 9, 1))
    assert result.shift_days == 2 * 364  # 2027-05-31 is before today; 2028-05-29 is not


def test_set_changes_values_and_reports_the_old_name(tmp_path: Path) -> None:
    result = clone_campaign(
        FIXTURE,
        tmp_path / "new",
        sets={
            "slug": "utro-autumn",
            "name": "Чайная осень",
            "prizes[0].quantity": "20",
            "draws[0].prizes[0].quantity": "10",
        },
        shift_days=91,
        today=TODAY,
    )
    data = load_document(tmp_path / "new" / CAMPAIGN_FILE).data
    assert data["campaign"]["slug"] == "utro-autumn"
    assert data["campaign"]["name"] == "Чайная осень"
    assert data["prizes"][0]["quantity"] == 20
    assert result.report.ok, [d.render() for d in result.report.errors]
    fields = {c.field for c in result.changes}
    assert {"campaign.slug", "campaign.name", "prizes[0].quantity"} <= fields
    said = [item.render() for item in result.review]
    assert any(
        "rules.extra_terms[1]: 'Чайное лето 2026' is the old name -> 'Чайная осень'?" in line
        for line in said
    ), said


def test_invalid_clone_is_written_and_lists_what_to_fix(tmp_path: Path) -> None:
    result = clone_campaign(
        FIXTURE, tmp_path / "new", sets={"prizes[0].quantity": "2"}, shift_days=7, today=TODAY
    )
    assert not result.report.ok
    assert (tmp_path / "new" / CAMPAIGN_FILE).is_file()
    assert any(d.field_path == "prizes[0].quantity" for d in result.report.errors)


@pytest.mark.parametrize(
    ("sets", "message"),
    [
        ({"nosuch.field": "1"}, "nosuch.field is not in the past campaign"),
        ({"prizes": "x"}, "prizes is not a single value"),
        ({"prizes[0].quantity": "many"}, "expected a whole number"),
        ({"campaign.id": "x"}, "fresh id"),
    ],
)
def test_bad_set_writes_nothing(tmp_path: Path, sets: dict[str, str], message: str) -> None:
    with pytest.raises(UserError, match=message):
        clone_campaign(FIXTURE, tmp_path / "new", sets=sets, today=TODAY)
    assert not (tmp_path / "new").exists()
    assert _names(tmp_path) == []


def test_clone_into_non_empty_folder_is_refused(tmp_path: Path) -> None:
    dest = tmp_path / "taken"
    dest.mkdir()
    (dest / "notes.txt").write_text("mine")
    with pytest.raises(UserError, match="not empty"):
        clone_campaign(FIXTURE, dest, today=TODAY)
    assert [p.name for p in dest.iterdir()] == ["notes.txt"]
    assert _names(tmp_path) == ["taken"]


def test_clone_into_empty_folder_is_fine(tmp_path: Path) -> None:
    dest = tmp_path / "empty"
    dest.mkdir()
    assert clone_campaign(FIXTURE, dest, today=TODAY).report.ok


def test_not_a_campaign(tmp_path: Path) -> None:
    (tmp_path / "folder").mkdir()
    with pytest.raises(UserError, match=r"no campaign\.yaml"):
        clone_campaign(tmp_path / "folder", tmp_path / "new")
    with pytest.raises(UserError, match="not a folder"):
        clone_campaign(tmp_path / "missing", tmp_path / "new")
    (tmp_path / "folder" / CAMPAIGN_FILE).write_text("- just\n- a list\n")
    with pytest.raises(SpecInvalid):
        clone_campaign(tmp_path / "folder", tmp_path / "new")
    (tmp_path / "folder" / CAMPAIGN_FILE).write_text("campaign: {slug: x}\n")
    with pytest.raises(UserError, match=r"period\.start"):
        clone_campaign(tmp_path / "folder", tmp_path / "new")
    assert not (tmp_path / "new").exists()


def test_shift_and_start_together_are_refused(tmp_path: Path) -> None:
    with pytest.raises(UserError, match="not both"):
        clone_campaign(FIXTURE, tmp_path / "new", shift_days=7, start=date(2027, 1, 1))


def test_slug_needs_a_year_or_a_folder_name(tmp_path: Path) -> None:
    # a shift inside the same year and a folder name that is no slug: ask for one
    with pytest.raises(UserError, match="cannot make a new slug") as raised:
        clone_campaign(FIXTURE, tmp_path / "x", shift_days=7)
    assert "--set slug=" in (raised.value.hint or "")
    result = clone_campaign(FIXTURE, tmp_path / "chai-july", shift_days=7)
    assert load_document(result.folder / CAMPAIGN_FILE).data["campaign"]["slug"] == "chai-july"
