"""`campaignctl loyalty import|select|vouchers|handover`: loyalty-member gifts."""

from __future__ import annotations

import csv
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from pathlib import Path

import typer
from rich.console import Console
from rich.progress import Progress, SpinnerColumn, TextColumn

from campaignctl.loyalty.book import LoyaltyBook, open_book
from campaignctl.loyalty.export import Problem
from campaignctl.loyalty.importer import import_purchases
from campaignctl.loyalty.selection import select_members
from campaignctl.loyalty.vouchers import export_vouchers, hand_over, issue_vouchers, summary
from campaignctl.spec import load_campaign

app = typer.Typer(
    help="Loyalty-member gifts: import purchases, select members, issue and hand over vouchers.",
    no_args_is_help=True,
)
CAMPAIGN = typer.Argument(
    ..., metavar="CAMPAIGN.yaml", help="The campaign file.", show_default=False
)
SHOWN_PROBLEMS = 20


@contextmanager
def _book(campaign: Path) -> Iterator[LoyaltyBook]:
    book = open_book(load_campaign(campaign))
    try:
        yield book
    finally:
        book.engine.dispose()


@contextmanager
def _progress() -> Iterator[Callable[[int], None] | None]:
    console = Console(stderr=True)
    if not console.is_terminal:
        yield None
        return
    columns = (SpinnerColumn(), TextColumn("{task.completed:,} lines"))
    with Progress(*columns, console=console, transient=True) as bar:
        task = bar.add_task("import", total=None)
        yield lambda n: bar.advance(task, n)


@app.command(name="import")
def import_(
    campaign: Path = CAMPAIGN,
    export: Path = typer.Argument(..., help="The purchases CSV export.", show_default=False),
    problems: Path | None = typer.Option(
        None, "--problems", help="Write every problem line to this CSV.", show_default=False
    ),
) -> None:
    """Import the client's purchases export (columns from mechanics.loyalty.purchases_export).

    Malformed lines and duplicates are reported with their line numbers and
    skipped; importing the same export again adds nothing.

    Example: campaignctl loyalty import campaign.yaml purchases-2027-10.csv
    """
    sink = problems.open("w", encoding="utf-8", newline="") if problems else None
    writer = csv.writer(sink) if sink else None
    if writer is not None:
        writer.writerow(["line", "kind", "message"])

    def note(p: Problem) -> None:
        if writer is not None:
            writer.writerow([p.line, p.kind, p.message])

    try:
        with _book(campaign) as book, _progress() as progress:
            report = import_purchases(book, export, progress=progress, on_problem=note)
    finally:
        if sink is not None:
            sink.close()
    typer.echo(
        f"{report.lines:,} lines: {report.imported:,} purchases imported, "
        f"{report.new_members:,} new members, {report.duplicates:,} duplicates, "
        f"{report.malformed:,} malformed, {report.bad_phones:,} bad phones"
    )
    for p in report.problems[:SHOWN_PROBLEMS]:
        typer.echo(f"  {p.render()}")
    hidden = report.duplicates + report.malformed + report.bad_phones - SHOWN_PROBLEMS
    if hidden > 0:
        typer.echo(f"  … and {hidden:,} more" + (f" (all in {problems})" if problems else ""))


@app.command(name="select")
def select_(campaign: Path = CAMPAIGN) -> None:
    """Select the members who meet mechanics.loyalty.criteria; safe to run again.

    Example: campaignctl loyalty select campaign.yaml
    """
    with _book(campaign) as book:
        r = select_members(book)
    typer.echo(
        f"{r.members:,} members, {r.qualified:,} meet the criteria, "
        f"{r.newly_selected:,} newly selected, {r.dropped:,} no longer qualify"
    )


@app.command()
def vouchers(
    campaign: Path = CAMPAIGN,
    issue: bool = typer.Option(
        True, "--issue/--no-issue", help="Issue vouchers to selected members first."
    ),
    sms: bool = typer.Option(True, "--sms/--no-sms", help="Queue an SMS with each new voucher."),
    csv_out: Path | None = typer.Option(
        None,
        "--csv",
        help="Write every voucher with card, phone and code (0600; personal data).",
        show_default=False,
    ),
) -> None:
    """Issue vouchers to the selected members while the reward's stock lasts; show the tally.

    Example: campaignctl loyalty vouchers campaign.yaml --csv vouchers.csv
    """
    with _book(campaign) as book:
        if issue:
            r = issue_vouchers(book, notify=sms)
            typer.echo(
                f"{r.issued:,} vouchers issued; {r.out_of_stock:,} selected members left "
                f"without (out of stock), {r.same_phone:,} skipped (phone already has one), "
                f"{r.without_phone:,} without a phone (hand over by card number)"
            )
        s = summary(book)
        if csv_out is not None:
            count = export_vouchers(book, csv_out)
            typer.echo(f"{count:,} vouchers written to {csv_out}")
    ways = ", ".join(f"{n:,} {way}" for way, n in sorted(s.handed_over.items())) or "none"
    typer.echo(
        f"members {s.members:,}, selected {s.selected:,}, vouchers {s.issued:,}, "
        f"handed over: {ways}; delivery requested {s.delivery_requested:,}, "
        f"expired {s.expired:,}, stock left {s.stock_remaining:,}"
    )


@app.command()
def handover(
    campaign: Path = CAMPAIGN,
    voucher: str | None = typer.Argument(None, help="The voucher code.", show_default=False),
    card: str | None = typer.Option(
        None, "--card", help="Find the voucher by card number.", show_default=False
    ),
    delivery: bool = typer.Option(False, "--delivery", help="Handed over by courier."),
    store: str | None = typer.Option(None, "--store", help="Where.", show_default=False),
) -> None:
    """Mark a gift handed over at the till (by voucher code or card number) or by delivery.

    Example: campaignctl loyalty handover campaign.yaml 7KQ4M-2XD9F --store S05
    """
    with _book(campaign) as book:
        done = hand_over(
            book,
            voucher=voucher,
            card=card,
            via="delivery" if delivery else "purchase",
            store=store,
        )
        at = done.at.astimezone(book.zone)
    typer.echo(f"handed over ({done.via}) at {at:%d.%m.%Y %H:%M}: {done.prize}")
