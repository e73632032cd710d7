"""custclean: clean customer lists — normalize, validate, find duplicates, merge, report every change.

The CLI is a thin layer over these functions:

    import custclean as cc
    result = cc.normalize(cc.read("examples/customers_multilang.csv"))
    cc.write(result.table, "clean.csv"); cc.write_reports(result, "report/")
"""

from custclean.api import guard_formulas, normalize, profile, read, read_many, validate, write, write_reports
from custclean.api.clean import clean
from custclean.api.dedupe import dedupe
from custclean.api.link import link
from custclean.api.match import find_duplicates
from custclean.api.merge import merge
from custclean.api.stream import stream_normalize, stream_validate, streamable
from custclean.api.suppress import suppress
from custclean.config import Config
from custclean.errors import ConfigError, CustcleanError, InputError, OutputError
from custclean.findings import Severity
from custclean.results import RunResult
from custclean.roles import Role, RoleMap
from custclean.ruleset import RuleSet
from custclean.table import SourceInfo, Table

__version__ = "0.1.0"

__all__ = [
    "Config", "ConfigError", "CustcleanError", "InputError", "OutputError", "Role", "RoleMap", "RuleSet",
    "RunResult", "Severity", "SourceInfo", "Table", "guard_formulas", "normalize", "profile", "read", "read_many",
    "validate", "write", "write_reports",
]
__all__ += ["clean", "dedupe", "merge", "suppress"]
__all__ += ["find_duplicates", "link"]
__all__ += ["stream_normalize", "stream_validate", "streamable"]
