"""Normalizers: one module per kind of value, each a ValueNormalizer run over distinct values."""
