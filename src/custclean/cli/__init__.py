"""The Typer app, the error boundary, and the entry point; one module per command beside it."""

from __future__ import annotations

import importlib
import pkgutil
import sys

import typer

from custclean.cli.app import app

_NOT_COMMANDS = {"app", "options", "common"}


def _register_commands() -> None:
    """Import every command module in this package; each registers itself on `app`."""
    for info in sorted(pkgutil.iter_modules(__path__), key=lambda m: m.name):
        if info.name not in _NOT_COMMANDS and not info.name.startswith("_"):
            importlib.import_module(f"{__name__}.{info.name}")


_register_commands()


def main() -> None:
    """Entry point: any error that is not the user's becomes one line and exit 3, unless --debug."""
    debug = "--debug" in sys.argv
    try:
        app()
    except SystemExit:
        raise
    except KeyboardInterrupt:
        typer.echo("custclean: interrupted; nothing was written", err=True)
        sys.exit(130)
    except Exception as exc:
        if debug:
            raise
        typer.echo(
            f"custclean: internal error ({type(exc).__name__}) — rerun with --debug and report it", err=True
        )
        sys.exit(3)


__all__ = ["app", "main"]
