"""Legeplan: Streamlit's entry point (`streamlit run app.py`), run from the top on every rerun.

The run takes its turn in the run queue here, once (ui/runqueue.py: one script run at a time, first
come first served), and the shell draws the sidebar and the chosen page (ui/shell.py: the page list,
and why a page in pages/ is never drawn without it).
"""

from ui import runqueue, shell

with runqueue.RUNS.turn():
    shell.run()
