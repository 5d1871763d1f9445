"""Legeplan: the entry point. The page list and the shared sidebar live in ui/shell.py."""

from ui import shell

shell.run()
