"""Rules data: every shipped file parses, aliases never mean two things, user files extend shipped ones."""

from __future__ import annotations

import tomllib
from importlib import resources

import pytest

import custclean as cc
from custclean.roles import Role
from custclean.ruleset import build_alias_map


def _shipped_files():
    root = resources.files("custclean.rules")
    stack = [root]
    while stack:
        folder = stack.pop()
        for item in folder.iterdir():
            if item.is_dir():
                stack.append(item)
            elif item.name.endswith(".toml"):
                yield item


@pytest.mark.parametrize("path", list(_shipped_files()), ids=lambda p: p.name)
def test_every_shipped_rules_file_parses(path):
    assert tomllib.loads(path.read_text(encoding="utf-8"))


def test_header_synonyms_have_no_conflicts_and_fold(rules):
    synonyms = rules.header_synonyms()
    assert synonyms.exact["prenom"] == Role.FIRST_NAME
    assert synonyms.exact["dien thoai"] == Role.PHONE
    assert synonyms.exact["judet"] == Role.REGION


def test_conflicting_alias_is_refused_naming_both_places():
    with pytest.raises(cc.ConfigError) as info:
        build_alias_map([("Georgia", "GE", "a.toml"), ("GEORGIA", "US-GA", "b.toml")])
    assert "a.toml" in str(info.value)
    assert "b.toml" in str(info.value)


def test_ambiguous_alias_is_skipped_not_refused():
    mapping = build_alias_map([("Congo", "CG", "x"), ("Congo", "CD", "y"), ("France", "FR", "x")], ["congo"])
    assert mapping == {"france": "FR"}


def test_user_rules_folder_extends_the_shipped_file(tmp_path):
    (tmp_path / "headers.toml").write_text('[email]\nxx = ["adresse de messagerie"]\n', encoding="utf-8")
    rules = cc.RuleSet.load(tmp_path)
    synonyms = rules.header_synonyms()
    assert synonyms.exact["adresse de messagerie"] == Role.EMAIL
    assert synonyms.exact["courriel"] == Role.EMAIL   # shipped entries are kept


def test_missing_user_rules_folder_is_a_config_error(tmp_path):
    with pytest.raises(cc.ConfigError, match="rules folder not found"):
        cc.RuleSet.load(tmp_path / "missing")
