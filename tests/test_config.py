"""Config: defaults < custclean.toml < flags, every problem reported at once with a did-you-mean."""

from __future__ import annotations

import pytest

import custclean as cc


def test_defaults_need_no_file(tmp_path, monkeypatch):
    monkeypatch.chdir(tmp_path)
    cfg = cc.Config.load()
    assert cfg.normalize.country_format == "alpha2"
    assert cfg.output.keep_backups == 5
    assert cfg.path is None


def test_file_then_flags_take_precedence(tmp_path, monkeypatch):
    (tmp_path / "custclean.toml").write_text(
        '[normalize]\nphone_format = "national"\nskip = ["company"]\n[output]\nkeep_backups = 2\n',
        encoding="utf-8",
    )
    monkeypatch.chdir(tmp_path)
    cfg = cc.Config.load(normalize={"phone_format": "international", "skip": None})
    assert cfg.normalize.phone_format == "international"   # the flag wins
    assert cfg.normalize.skip == ("company",)               # a flag not given keeps the file's value
    assert cfg.output.keep_backups == 2
    assert cfg.path == "custclean.toml"


def test_every_problem_is_reported_with_a_suggestion(tmp_path):
    path = tmp_path / "bad.toml"
    path.write_text('[normalise]\nx = 1\n[output]\nkeep_backup = 3\nin_place = "yes"\n', encoding="utf-8")
    with pytest.raises(cc.ConfigError) as info:
        cc.Config.load(path)
    message = str(info.value)
    assert "did you mean 'normalize'" in message
    assert "did you mean 'keep_backups'" in message
    assert "in_place must be bool" in message
    assert "\n" not in message


def test_comma_text_becomes_a_tuple():
    cfg = cc.Config().override(normalize={"only": "country, phone"})
    assert cfg.normalize.only == ("country", "phone")


def test_missing_and_broken_files(tmp_path):
    with pytest.raises(cc.ConfigError, match="config file not found"):
        cc.Config.load(tmp_path / "nope.toml")
    broken = tmp_path / "broken.toml"
    broken.write_text("[normalize\n", encoding="utf-8")
    with pytest.raises(cc.ConfigError, match="not valid TOML"):
        cc.Config.load(broken)
