"""Command line for the Data page's import (python -m tools.importer FIL), e.g. for scheduled updates.

Same steps as the page: parse → validate → diff against what is loaded → apply in one transaction to
the user database (LEGEPLAN_USER_DB). The file is read and checked in full before the user database
is opened, and the write is one short transaction, so the app's sessions are not locked out while a
large file is read (issue 24, finding 13). Exit code 0 when applied (or would be, with --dry-run), 1 when
the file was refused, 2 when the database could not be written.
"""

from __future__ import annotations

import argparse
import getpass
import sys
from pathlib import Path

import duckdb

from core import access, db, upload_budget
from core import import_store as store
from core import ssb_readers as ssb
from core.i18n import t
from core.params import sanitize


def _actor() -> access.Principal:
    """Who the audit log names for this run: the operating-system account running the command."""
    try:
        return access.command_line(getpass.getuser())
    except (OSError, KeyError):  # no name for the account (some containers)
        return access.command_line("ukjent")


def main(argv: list[str] | None = None) -> int:
    """Import one file (or restore the previous version of a dataset); print what happened in Norwegian."""
    parser = argparse.ArgumentParser(prog="python -m tools.importer",
                                     description=t("Last inn SSB-uttrekk (12005, 07459) eller kommunens egne tall."))
    parser.add_argument("fil", type=Path, nargs="?", help=t("CSV-, JSON-stat 2- eller Excel-fil (malen)"))
    parser.add_argument("--type", choices=list(ssb.DATASET_LABELS), help=t("datasett (ellers gjenkjent fra filen)"))
    parser.add_argument("--kilde", default="", help=t("kildemerknad som lagres med innlastingen"))
    parser.add_argument("--prov", action="store_true", help=t("bare kontroller og vis endringene, lagre ingenting"))
    parser.add_argument("--gjenopprett", choices=list(ssb.DATASET_LABELS),
                        help=t("deaktiver siste innlasting av datasettet (forrige versjon gjelder igjen)"))
    args = parser.parse_args(argv)

    if args.gjenopprett:
        return _restore(args.gjenopprett)
    if args.fil is None:
        parser.error(t("oppgi en fil eller --gjenopprett"))
    try:
        data = args.fil.read_bytes()
    except OSError as exc:
        print(t("Kan ikke lese {file}: {error}", file=args.fil, error=exc.strerror), file=sys.stderr)
        return 1
    # Parse and validate everything first, without the user database: the app's sessions keep
    # using it meanwhile (a million rows take half a minute to read).
    try:
        stats = db.connect()
    except (duckdb.Error, OSError) as exc:
        print(t("Statistikkdatabasen kunne ikke åpnes ({error}); ingenting er lagret.", error=type(exc).__name__),
              file=sys.stderr)
        return 2
    try:
        kommuner = db.query(stats, "SELECT * FROM kommune")
        parsed = upload_budget.parse_isolated(store.parse_upload, data, args.fil.name, kommuner, args.type)
        label = ssb.DATASET_LABELS.get(parsed.dataset or "")
        print(t("{file}: {dataset}, {format}, {n} gyldige rader.", file=args.fil.name,
                dataset=t(label) if label else t("ukjent datasett"),
                format=parsed.file_format or t("ukjent format"), n=len(parsed.frame)))
        for problem in parsed.problems:
            print((t("FEIL: ") if problem.error else t("Advarsel: ")) + problem.text())
        for note in parsed.notes:
            print(t("Merknad: {note}", note=note))
        if not parsed.ok:
            print(t("Ingenting er lagret."))
            return 1
        prepared = store.prepare(parsed, args.fil.name, args.kilde or f"{args.fil.name} (kommandolinje)",
                                 actor=_actor())
        try:
            with db.connect_user() as user:  # a short read: the imported rows in force
                imported = store.in_force(user, parsed.dataset or "")
        except (duckdb.Error, OSError) as exc:
            return _unavailable(exc)
        loaded = store.current(stats, None, parsed, imported)
    finally:
        stats.close()
    counts = store.summarize(store.diff(parsed, loaded))
    print(t("Endringer: {counts}", counts=", ".join(f"{k} {v}" for k, v in counts.items())))
    if args.prov:
        print(t("Prøvekjøring: ingenting er lagret."))
        return 0
    try:
        with db.connect_user() as user:  # one short write transaction
            batch_id = store.store(user, prepared)
    except (duckdb.Error, OSError) as exc:
        if isinstance(exc, duckdb.Error) and not isinstance(exc, db.UserDbBusy):
            print(t("FEIL: ") + t("Innlastingen ble avbrutt og ingenting ble lagret ({error}).",
                                  error=sanitize(str(exc).splitlines()[0][:200])), file=sys.stderr)
            return 2
        return _unavailable(exc)
    print(t("Lagret som innlasting {n}.", n=batch_id))
    return 0


def _restore(dataset: str) -> int:
    try:
        with db.connect_user() as user:
            undone = store.restore_previous(user, dataset, actor=_actor())
    except (duckdb.Error, OSError) as exc:
        return _unavailable(exc)
    print(t("Ingen aktiv innlasting å angre.") if undone is None else
          t("Innlasting {n} er deaktivert; versjonen før den gjelder igjen.", n=undone))
    return 0


def _unavailable(exc: BaseException) -> int:
    if isinstance(exc, db.UserDbBusy):
        print(t("Brukerdatabasen er i bruk av en annen prosess (en annen import?); ingenting er lagret. "
                "Prøv igjen om litt."), file=sys.stderr)
    else:
        print(t("Brukerdatabasen kunne ikke åpnes ({error}); ingenting er lagret.", error=type(exc).__name__),
              file=sys.stderr)
    return 2

if __name__ == "__main__":
    sys.exit(main())
