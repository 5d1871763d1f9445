"""Copy what users saved from a DuckDB user database into the PostgreSQL store, in one transaction.

    LEGEPLAN_USER_DB_URL=postgresql://… python -m tools.userdb_copy --fra data/brukerdata.duckdb

For a kommune that moves from one process on a DuckDB file (`make run`) to several processes on
PostgreSQL (docs/drift.md, «Delt lager (PostgreSQL)»). Both are first brought to the newest schema
version (core/userdb.py); then every row of every user table (userdb.TABLES) is copied, all or none.
A store that already holds rows is refused, so nothing is overwritten or doubled.
"""

from __future__ import annotations

import argparse
import sys
from collections.abc import Sequence
from pathlib import Path

from core import db, userdb
from core.i18n import t


class CopyRefused(RuntimeError):
    """The copy was not made (a Norwegian message for the person running it)."""


def _columns(con, table: str) -> list[str]:
    rows = con.execute("SELECT column_name FROM information_schema.columns WHERE table_schema = current_schema() "
                       "AND table_name = ? ORDER BY ordinal_position", [table]).fetchall()
    return [str(r[0]) for r in rows]


def copy(source, target) -> dict[str, int]:
    """Copy every user table's rows from `source` to `target` (empty), in one transaction: rows per table."""
    userdb.ensure(source)
    userdb.ensure(target)
    tables = sorted(userdb.TABLES)
    filled = [name for name in tables
              if (target.execute(f"SELECT count(*) FROM {name}").fetchone() or (0,))[0]]  # noqa: S608
    if filled:
        raise CopyRefused(t("Målet har allerede data ({tables}); ingenting er kopiert. Kopier bare til et tomt "
                            "lager.", tables=", ".join(filled)))
    counts: dict[str, int] = {}
    cur = target.cursor()
    try:
        cur.execute("BEGIN TRANSACTION")
        try:
            for name in tables:
                cols = _columns(source, name)
                rows = source.execute(f"SELECT {', '.join(cols)} FROM {name}").fetchall()  # noqa: S608
                if rows:
                    marks = ", ".join("?" for _ in cols)
                    cur.executemany(f"INSERT INTO {name} ({', '.join(cols)}) VALUES ({marks})",  # noqa: S608
                                    [list(r) for r in rows])
                counts[name] = len(rows)
        except BaseException:
            cur.execute("ROLLBACK")
            raise
        cur.execute("COMMIT")
    finally:
        cur.close()
    return counts


def main(argv: Sequence[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="python -m tools.userdb_copy",
                                     description=t("Kopier brukerdatabasen (DuckDB-fil) til PostgreSQL-lageret i "
                                                   "LEGEPLAN_USER_DB_URL."))
    parser.add_argument("--fra", type=Path, default=db.user_db_path(), help=t("DuckDB-filen det kopieres fra"))
    args = parser.parse_args(argv)
    if db.user_db_url() is None:
        print(t("FEIL: Sett LEGEPLAN_USER_DB_URL=postgresql://… til lageret det skal kopieres til."), file=sys.stderr)
        return 2
    if not args.fra.is_file():
        print(t("FEIL: Finner ikke filen {path}.", path=args.fra), file=sys.stderr)
        return 2
    try:
        with db.connect_user(args.fra) as source, db.connect_user() as target:
            counts = copy(source, target)
    except (CopyRefused, userdb.SchemaError) as exc:
        print(t("FEIL: {message}", message=str(exc)), file=sys.stderr)
        return 1
    except db.Error as exc:
        print(t("FEIL: Kopieringen ble avbrutt og ingenting ble lagret ({error}).", error=str(exc).splitlines()[0]),
              file=sys.stderr)
        return 1
    print(t("Kopiert: {rows} rader.", rows=", ".join(f"{name} {n}" for name, n in counts.items())))
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
