"""Command line for the Data page's import (python -m tools.importer FIL), e.g. for scheduled updates.

Same steps as the page: parse → validate → diff against what is loaded → apply in one transaction to
the user database (LEGEPLAN_USER_DB). Exit code 0 when applied (or would be, with --dry-run), 1 when
the file was refused, 2 when the database could not be written.
"""

from __future__ import annotations

import argparse
import sys
from pathlib import Path

import duckdb

from core import db
from core import importers as im


def main(argv: list[str] | None = None) -> int:
    """Import one file (or restore the previous version of a dataset); print what happened in Norwegian."""
    parser = argparse.ArgumentParser(prog="python -m tools.importer",
                                     description="Last inn SSB-uttrekk (12005, 07459) eller kommunens egne tall.")
    parser.add_argument("fil", type=Path, nargs="?", help="CSV- eller JSON-stat 2-fil")
    parser.add_argument("--type", choices=list(im.DATASET_LABELS), help="datasett (ellers gjenkjent fra filen)")
    parser.add_argument("--kilde", default="", help="kildemerknad som lagres med innlastingen")
    parser.add_argument("--prov", action="store_true", help="bare kontroller og vis endringene, lagre ingenting")
    parser.add_argument("--gjenopprett", choices=list(im.DATASET_LABELS),
                        help="deaktiver siste innlasting av datasettet (forrige versjon gjelder igjen)")
    args = parser.parse_args(argv)

    try:
        with db.connect_user() as user:
            if args.gjenopprett:
                undone = im.restore_previous(user, args.gjenopprett)
                print("Ingen aktiv innlasting å angre." if undone is None else
                      f"Innlasting {undone} er deaktivert; versjonen før den gjelder igjen.")
                return 0
            if args.fil is None:
                parser.error("oppgi en fil eller --gjenopprett")
            try:
                data = args.fil.read_bytes()
            except OSError as exc:
                print(f"Kan ikke lese {args.fil}: {exc.strerror}", file=sys.stderr)
                return 1
            stats = db.connect()
            try:
                kommuner = db.query(stats, "SELECT * FROM kommune")
                parsed = im.parse_upload(data, args.fil.name, kommuner, args.type)
                print(f"{args.fil.name}: {im.DATASET_LABELS.get(parsed.dataset or '', 'ukjent datasett')}, "
                      f"{parsed.file_format or 'ukjent format'}, {len(parsed.frame)} gyldige rader.")
                for problem in parsed.problems:
                    print(("FEIL: " if problem.error else "Advarsel: ") + problem.text())
                for note in parsed.notes:
                    print(f"Merknad: {note}")
                if not parsed.ok:
                    print("Ingenting er lagret.")
                    return 1
                counts = im.summarize(im.diff(parsed, im.current(stats, user, parsed)))
            finally:
                stats.close()
            print("Endringer: " + ", ".join(f"{k} {v}" for k, v in counts.items()))
            if args.prov:
                print("Prøvekjøring: ingenting er lagret.")
                return 0
            batch_id, errors = im.apply(user, parsed, args.fil.name, args.kilde or f"{args.fil.name} (kommandolinje)")
            if batch_id is None:
                for problem in errors:
                    print("FEIL: " + problem.text(), file=sys.stderr)
                return 2
            print(f"Lagret som innlasting {batch_id}.")
            return 0
    except (duckdb.Error, OSError) as exc:
        print(f"Brukerdatabasen kunne ikke åpnes ({type(exc).__name__}); ingenting er lagret.", file=sys.stderr)
        return 2


if __name__ == "__main__":
    sys.exit(main())
