"""The command line, a package: `common` (options, consoles, settings), `main` (the command
group and the core commands), `fusion`, `batch` and `serve` (commands registered by
`main`). Imports go one way: the command modules import `common`; only `main` imports
them. Importing this package imports none of them: `run` loads `main` when called."""
from __future__ import annotations


def run() -> None:
    """The `veille` console script."""
    from veille.cli.main import run as _run

    _run()
