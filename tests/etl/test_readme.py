"""Docs and code keep each other honest: the README's dictionary, commands, pages and settings."""

from __future__ import annotations

import re

from etl.dictionary import END, START, data_dictionary
from tests.conftest import ROOT

README = (ROOT / "README.md").read_text()


def test_data_dictionary_matches_the_declared_schemas():
    block = README[README.index(START) : README.index(END) + len(END)]
    assert block == data_dictionary(), "README data dictionary is stale: run python -m etl dictionary"


def test_every_page_is_documented():
    titles = re.findall(r'st\.Page\("views/\w+\.py", title="([^"]+)"', (ROOT / "app.py").read_text())
    assert len(titles) == 7
    for title in titles:
        assert f"| {title} |" in README, title


def test_every_cli_command_and_setting_is_documented():
    for command in (
        "validate",
        "build [--out DIR]",
        "check [DIR]",
        "dictionary",
        "fmt [--check]",
        "add-source FILE",
        "draft TARGET",
        "accept [ID...]",
        "reanchor [--dry-run]",
        "measure-drafts [--out FILE]",
        "publish --to s3://BUCKET/PREFIX [--package DIR]",
    ):
        assert f"python -m etl {command}" in README
    code = "\n".join(
        p.read_text()
        for p in [
            *ROOT.glob("etl/*.py"),
            *ROOT.glob("tracker/*.py"),
            *ROOT.glob("scripts/*.sh"),
            *ROOT.glob("tests/**/*.py"),
        ]
    )
    for env in sorted(set(re.findall(r"\b(TRACKER_[A-Z_]+|SOURCE_DATE_EPOCH)\b", code))):
        assert f"`{env}`" in README, env


def test_the_two_commands_exist_and_ci_calls_the_test_command():
    assert "`bash scripts/run.sh`" in README and "`bash scripts/test.sh`" in README
    assert "bash scripts/test.sh" in (ROOT / ".ci" / "run").read_text()


def test_every_annotation_field_is_documented_for_annotators():
    from etl.models import KIND_BLOCKS, Entity, Fact, Source

    guide = (ROOT / "data" / "ANNOTATING.md").read_text()
    for model in (Source, Entity, Fact, *KIND_BLOCKS.values()):
        for name in model.model_fields:
            if model is Fact and name == "source":  # not written: a fact cites the source of its file
                continue
            assert re.search(rf"(^|[\s{{|,]){name}:|\| ({name}|\w+, {name}) \|", guide, re.M), (
                f"{model.__name__}.{name}"
            )
