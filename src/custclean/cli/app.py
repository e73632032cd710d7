"""The Typer app and the error boundary every command goes through."""

from __future__ import annotations

import functools
from collections.abc import Callable
from typing import Any

import typer

from custclean.errors import CustcleanError

app = typer.Typer(
    name="custclean",
    no_args_is_help=True,
    pretty_exceptions_show_locals=False,   # a local variable can be a customer's row
    rich_markup_mode="rich",
    context_settings={"help_option_names": ["-h", "--help"]},
    help="Clean customer lists: normalize, validate, find duplicates, merge, and report every change.",
)


def command(fn: Callable[..., Any]) -> Callable[..., Any]:
    """Register a command whose CustcleanErrors become one stderr line and an exit code."""

    @functools.wraps(fn)
    def wrapper(*args: Any, **kwargs: Any) -> Any:
        try:
            return fn(*args, **kwargs)
        except CustcleanError as exc:
            typer.echo(f"custclean: {exc}", err=True)
            raise typer.Exit(exc.exit_code) from None

    return app.command()(wrapper)
