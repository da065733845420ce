"""`campaignctl codes ...`: generate, check, void, list, info, import."""

from __future__ import annotations

from collections.abc import Callable, Iterator
from contextlib import contextmanager
from pathlib import Path

import typer
from rich.console import Console
from rich.progress import BarColumn, MofNCompleteColumn, Progress, TimeRemainingColumn
from rich.table import Table

from campaignctl.codes import batches
from campaignctl.codes.errors import CodesError
from campaignctl.codes.keys import key_path
from campaignctl.codes.ledger import CodeLedger, open_ledger
from campaignctl.model import Campaign
from campaignctl.spec import load_campaign
from campaignctl.spec.checks.codes import attempt_budget

app = typer.Typer(
    name="codes",
    help="Unique codes: generate print files, check, void misprints, import client codes.",
    no_args_is_help=True,
)

CAMPAIGN = typer.Argument(..., help="The campaign.yaml.", show_default=False)
BATCH = typer.Option(..., "--batch", help="Batch name, e.g. run-1.", show_default=False)


@contextmanager
def _ledger(campaign: Campaign) -> Iterator[CodeLedger]:
    ledger = open_ledger(campaign)
    try:
        yield ledger
    finally:
        ledger.close()


@contextmanager
def _progress(label: str, total: int | None) -> Iterator[Callable[[int], None] | None]:
    console = Console(stderr=True)
    if not console.is_terminal:
        yield None
        return
    columns = (BarColumn(), MofNCompleteColumn(), TimeRemainingColumn())
    with Progress(*columns, console=console, transient=True) as bar:
        task = bar.add_task(label, total=total)
        yield lambda n: bar.advance(task, n)


@app.command()
def generate(
    campaign: Path = CAMPAIGN,
    batch: str = BATCH,
    count: int = typer.Option(..., "--count", help="How many codes.", show_default=False),
    out: Path | None = typer.Option(
        None,
        "--out",
        help="Folder for print files [default: <campaign dir>/print].",
        show_default=False,
    ),
) -> None:
    """Allocate the next serial range to a new batch and write its print files.

    Writes <out>/<batch>/ with CSV files of rows serial,code (and qr_url when
    codes.print.qr_url is on), split by codes.print.rows_per_file, QR images for
    small batches, and manifest.json with the SHA-256 of every file. The folder
    appears only when complete; an interrupted run leaves no generated batch.

    Example: campaignctl codes generate campaign.yaml --batch run-1 --count 3000000
    """
    model = load_campaign(campaign)
    with _ledger(model) as ledger, _progress(f"batch {batch}", count) as progress:
        site = model.channels.site.base_url
        out_root = out if out is not None else ledger.folder / "print"
        result = batches.generate(ledger, batch, count, out_root, base_url=site, progress=progress)
    m = result.manifest
    console = Console(highlight=False)
    console.print(
        f"batch {m.batch}: {m.count:,} codes, serials {m.first_serial}-{m.last_serial}, "
        f"{len(m.files)} file(s) in {result.folder}"
    )


@app.command()
def check(
    campaign: Path = CAMPAIGN,
    code: str = typer.Argument(
        ...,
        help="The code as printed or typed; case and dashes do not matter.",
        show_default=False,
    ),
) -> None:
    """Check one code: exit 0 with its batch and state, or exit 1 with the reason.

    Reasons: typo (check character mismatch), not a code, voided batch or range,
    already redeemed. Checking does not redeem.

    Example: campaignctl codes check campaign.yaml 7QV3-BJFC-C54J
    """
    with _ledger(load_campaign(campaign)) as ledger:
        verdict = ledger.check(code)
    if not verdict.ok:
        raise CodesError(f"{verdict.code}: {verdict.explain()}")
    typer.echo(f"{verdict.code}: {verdict.explain()}")


@app.command()
def void(
    campaign: Path = CAMPAIGN,
    batch: str = BATCH,
    serials: str | None = typer.Option(
        None, "--serials", help="Inclusive range FIRST-LAST.", show_default=False
    ),
    file: Path | None = typer.Option(
        None,
        "--file",
        help="Misprint file: one code per line, or a print CSV.",
        show_default=False,
    ),
) -> None:
    """Void a whole batch, a serial range, or the codes listed in a misprint file.

    Voided codes fail `codes check` and leave every statistic. A misprint file
    with any line that is not a code of the batch voids nothing.

    Example: campaignctl codes void campaign.yaml --batch run-1 --serials 1000-1999
    """
    span = batches.parse_serials(serials) if serials is not None else None
    with _ledger(load_campaign(campaign)) as ledger:
        voided = batches.void(ledger, batch, serials=span, misprints=file)
    typer.echo(f"batch {batch}: {voided:,} code(s) newly voided")


@app.command()
def mark(
    campaign: Path = CAMPAIGN,
    batch: str = BATCH,
    state: str = typer.Option(
        ..., "--state", help="sent_to_printer, printed or shipped.", show_default=False
    ),
) -> None:
    """Record where a batch is: sent to the printer, printed, shipped.

    States only move forward; voiding is `codes void`.

    Example: campaignctl codes mark campaign.yaml --batch run-1 --state printed
    """
    with _ledger(load_campaign(campaign)) as ledger:
        row = batches.mark(ledger, batch, state)
    typer.echo(f"batch {row.name}: {row.state}")


@app.command(name="list")
def list_batches(campaign: Path = CAMPAIGN) -> None:
    """Show the batches with their serial ranges and counts by state.

    Example: campaignctl codes list campaign.yaml
    """
    with _ledger(load_campaign(campaign)) as ledger:
        rows = batches.summaries(ledger)
    table = Table(title="Code batches", title_justify="left")
    for name in ("Batch", "State", "Serials", "Codes", "Voided", "Active", "Redeemed"):
        table.add_column(
            name, justify="left" if name in ("Batch", "State") else "right", no_wrap=True
        )
    for r in rows:
        table.add_row(
            r.name,
            r.state,
            f"{r.first_serial}-{r.last_serial}",
            f"{r.count:,}",
            f"{r.voided:,}",
            f"{r.active:,}",
            f"{r.redeemed:,}",
        )
    table.add_section()
    table.add_row(
        "Total",
        "",
        "",
        f"{sum(r.count for r in rows):,}",
        f"{sum(r.voided for r in rows):,}",
        f"{sum(r.active for r in rows):,}",
        f"{sum(r.redeemed for r in rows):,}",
    )
    Console(highlight=False).print(table)


@app.command()
def info(campaign: Path = CAMPAIGN) -> None:
    """Show the code space, the guessing risk and how many codes are issued.

    Example: campaignctl codes info campaign.yaml
    """
    model = load_campaign(campaign)
    with _ledger(model) as ledger:
        about = batches.describe(ledger, attempt_budget(model))
    spec, cap = ledger.spec, about.capacity
    table = Table(title=f"Codes of {model.slug}", title_justify="left", show_header=False)
    table.add_column("", style="bold")
    table.add_column("")
    table.add_row("Scheme", spec.scheme)
    table.add_row("Alphabet", f"{spec.alphabet} ({cap.alphabet_size} characters)")
    check = f" + check character ({about.check_method})" if spec.check_character else ""
    table.add_row("Length", f"{spec.length}{check}")
    table.add_row("Code space", f"{cap.space:,} ({cap.space:.3g})")
    table.add_row("Planned codes", f"{cap.count:,}")
    table.add_row("Issued codes", f"{about.issued:,}")
    table.add_row("Attempt budget", f"{cap.attempts:,}")
    risk = "" if cap.within_risk else "  [red]over the accepted risk[/red]"
    table.add_row("Guessing risk", f"{cap.risk:.3g} (accepted {cap.accepted_risk:g}){risk}")
    table.add_row("Max codes for the risk", f"{cap.max_count:,}")
    versions = ", ".join(f"v{v}" for v in about.key_versions) or "none yet"
    table.add_row("Key file", f"{about.key_file} (versions: {versions})")
    Console(highlight=False).print(table)


@app.command(name="rotate-key")
def rotate_key(campaign: Path = CAMPAIGN) -> None:
    """Add a new key version: batches made from now on use it, issued codes keep theirs.

    Back up .campaignctl/codes.key afterwards. See docs/codes.md, "Rotating the key".

    Example: campaignctl codes rotate-key campaign.yaml
    """
    with _ledger(load_campaign(campaign)) as ledger:
        version = ledger.rotate_key()
    typer.echo(
        f"key version {version} added; new batches use it. Back up {key_path(ledger.folder)}"
    )


@app.command(name="import")
def import_(
    campaign: Path = CAMPAIGN,
    file: Path = typer.Argument(..., help="CSV or TXT, one code per line.", show_default=False),
    batch: str = BATCH,
) -> None:
    """Import a client's code list as a batch; only keyed hashes are stored.

    The code is the first field, or the column headed `code`. Duplicates and
    malformed lines are reported with their line numbers and nothing is stored.

    Example: campaignctl codes import campaign.yaml client-codes.csv --batch client-1
    """
    with _ledger(load_campaign(campaign)) as ledger, _progress(f"import {batch}", None) as progress:
        row = batches.import_codes(ledger, batch, file, progress)
    typer.echo(
        f"batch {row.name}: {row.count:,} codes imported, serials {row.first_serial}-{row.end_serial - 1}"
    )
