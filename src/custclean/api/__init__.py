"""The verbs as plain functions: tables + Config in, a RunResult out; never prints or exits.

Each verb lives in a module of its own under custclean.api; this package re-exports them.
"""

from custclean.api.io import read, read_many, write
from custclean.api.normalize import normalize
from custclean.api.profile import profile
from custclean.api.reports import write_reports

__all__ = ["normalize", "profile", "read", "read_many", "write", "write_reports"]
