"""Duplicate matching: match keys, blocking, comparisons, Fellegi-Sunter scoring, clusters, review."""
