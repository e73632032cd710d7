"""`python -m custclean` runs the CLI."""

from custclean.cli import main

main()
