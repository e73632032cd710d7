"""Validation: built-in checks, user rules files, quarantine and follow-up lists."""
