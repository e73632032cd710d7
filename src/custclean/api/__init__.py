"""The verbs as plain functions: tables + Config in, a RunResult out; never prints or exits.

Each verb lives in a module of its own under custclean.api; this package re-exports them.
"""

from custclean.api.clean import clean, report_folder_for, write_held_rows
from custclean.api.dedupe import dedupe
from custclean.api.io import read, read_many, write
from custclean.api.link import link
from custclean.api.match import find_duplicates
from custclean.api.merge import merge
from custclean.api.normalize import normalize
from custclean.api.profile import profile
from custclean.api.reports import write_reports
from custclean.api.safety import guard_formulas
from custclean.api.stream import failing_findings, stream_normalize, stream_validate, streamable
from custclean.api.suppress import suppress
from custclean.api.validate import findings_at_or_above, validate, write_validation_files

__all__ = [
    "findings_at_or_above", "guard_formulas", "normalize", "profile", "read", "read_many", "validate", "write",
    "write_reports", "write_validation_files",
]
__all__ += ["clean", "dedupe", "merge", "report_folder_for", "suppress", "write_held_rows"]
__all__ += ["find_duplicates", "link"]
__all__ += ["failing_findings", "stream_normalize", "stream_validate", "streamable"]
