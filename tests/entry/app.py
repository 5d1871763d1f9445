"""app.py as AppTest opens it (tests/apptest_util.py): run from a folder with no pages/ beside it.

AppTest turns Streamlit's old-style pages/ handling back on before every run when the entry script
has a pages/ folder beside it (streamlit/testing/v1/app_test.py:665-666, ui/shell.py says more), so
every AppTest run of app.py itself would first run the page file alone. A server does that only on
its first runs; from here AppTest runs app.py as the server does from then on: app.py first, and the
page inside the shell. The shell names its pages by absolute path, so they are found from here.
"""

import runpy
from pathlib import Path

runpy.run_path(str(Path(__file__).resolve().parents[2] / "app.py"))
