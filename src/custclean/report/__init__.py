"""Report files, the HTML report and the terminal summary, all built from a RunResult."""
