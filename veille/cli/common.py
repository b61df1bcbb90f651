"""What every command module shares: the consoles, the --db and --config options, the
settings and the way an article's failure is printed. Imported by the command modules,
importing none of them."""
from __future__ import annotations

from pathlib import Path

import click
from rich.console import Console

from veille.errors import IngestError
from veille.settings import load_settings

err = Console(stderr=True, highlight=False, soft_wrap=True)
out = Console(highlight=False, soft_wrap=True)

db_option = click.option("--db", type=click.Path(dir_okay=False, path_type=Path), default=None,
                         help="Database file (default: $VEILLE_DB, the config file, or ~/.local/share/veille/veille.duckdb).")
config_option = click.option("--config", type=click.Path(dir_okay=False, path_type=Path), default=None,
                             help="Settings file (TOML; default $VEILLE_CONFIG or ~/.config/veille/config.toml).")


def _settings(config: Path | None, **overrides):
    try:
        return load_settings(config, **overrides)
    except (ValueError, OSError) as exc:
        raise click.ClickException(f"settings: {exc}") from exc


def _report_error(error: IngestError) -> None:
    err.print(f"[red]error[/red] {error.source}: {error.reason}", markup=True, highlight=False)
