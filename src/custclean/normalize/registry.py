"""Finds every normalizer module and orders the steps by their `after` declarations.

Adding `normalize/vat_number.py` with one class that follows the ValueNormalizer protocol is the
whole change: this module discovers it, and a contract test checks it.
"""

from __future__ import annotations

import importlib
import inspect
import pkgutil
from graphlib import TopologicalSorter
from typing import TYPE_CHECKING, Any

import custclean.normalize as package
from custclean.errors import ConfigError
from custclean.normalize.base import NormalizerStep

if TYPE_CHECKING:
    from custclean.config import Config
    from custclean.ruleset import RuleSet

_NOT_NORMALIZERS = {"base", "registry"}


def _classes_in(module: Any) -> list[type]:
    return [
        obj
        for _, obj in inspect.getmembers(module, inspect.isclass)
        if obj.__module__ == module.__name__ and hasattr(obj, "rules_declared") and hasattr(obj, "normalize")
    ]


def normalizer_classes() -> dict[str, type]:
    """name -> class for every normalizer module in the package, in dependency order."""
    found: dict[str, type] = {}
    for info in sorted(pkgutil.iter_modules(package.__path__), key=lambda m: m.name):
        if info.name in _NOT_NORMALIZERS or info.name.startswith("_"):
            continue
        module = importlib.import_module(f"{package.__name__}.{info.name}")
        for cls in _classes_in(module):
            found[cls.name] = cls
    sorter: TopologicalSorter[str] = TopologicalSorter()
    for name in sorted(found):
        sorter.add(name, *[a for a in found[name].after if a in found])
    return {name: found[name] for name in sorter.static_order()}


def selected_names(config: Config) -> list[str]:
    """The normalizers to run after --only/--skip, refusing names that do not exist."""
    available = normalizer_classes()
    only, skip = config.normalize.only, config.normalize.skip
    unknown = [n for n in (*only, *skip) if n not in available]
    if unknown:
        raise ConfigError(
            [f"no normalizer named '{n}' (have: {', '.join(available)})" for n in unknown], "--only/--skip"
        )
    return [n for n in available if (not only or n in only) and n not in skip]


def build_steps(rules: RuleSet, config: Config) -> list[NormalizerStep]:
    """One step per selected normalizer, built from the shipped and user rules."""
    classes = normalizer_classes()
    workers = config.normalize.workers
    return [NormalizerStep(classes[name].from_rules(rules, config), workers) for name in selected_names(config)]
