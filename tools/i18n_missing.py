"""List texts without a nynorsk form, as a JSON skeleton to fill in.

    python -m tools.i18n_missing pages/kapasitet.py ui/narrative.py   # texts used in these files
    python -m tools.i18n_missing --registry                            # lever and statistics texts
"""

from __future__ import annotations

import json
import sys
from pathlib import Path

from core import i18n


def main(argv: list[str]) -> int:
    from tests import test_i18n as ti

    nn = i18n.catalogue(i18n.NYNORSK)
    wanted: dict[str, str] = {}
    if "--registry" in argv:
        wanted.update(ti.registry_msgids())
    for arg in argv:
        if arg.startswith("--"):
            continue
        path = Path(arg).resolve()
        for line, msgid, _ in ti._calls(path):
            if msgid is not None:
                wanted.setdefault(msgid, f"{arg}:{line}")
    missing = {text: "" for text in wanted if text not in nn}
    print(json.dumps(missing, ensure_ascii=False, indent=2))
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
