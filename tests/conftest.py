"""Shared fixtures: a small annotation set and corpus, built into a real package by the real ETL."""

from __future__ import annotations

import shutil
from pathlib import Path

import pytest
from hypothesis import HealthCheck, settings

from etl.build import build
from tests import timing

ROOT = Path(__file__).resolve().parent.parent
FIXTURES = Path(__file__).parent / "fixtures"
FIXTURE_DATA = FIXTURES / "data"
FIXTURE_CORPUS = FIXTURES / "corpus"
HONEST = FIXTURES / "honest"

# Property tests never fail on time: no per-example deadline and no "too slow" health check (issue #12).
# Tests that pass their own settings() inherit these unless they set them.
settings.register_profile("tracker", deadline=None, suppress_health_check=[HealthCheck.too_slow])
settings.load_profile("tracker")


def pytest_report_header(config) -> str:
    return f"hang guards: {timing.describe()}"


def pytest_collection_modifyitems(config, items) -> None:
    """The layers a quick local run can leave out (pytest.ini): every test under tests/browser/ is
    `browser` and every hypothesis test is `fuzz`, whether or not its module says so."""
    browser_dir = Path(__file__).parent / "browser"
    for item in items:
        if browser_dir in Path(str(item.path)).parents and not item.get_closest_marker("browser"):
            item.add_marker(pytest.mark.browser)
        if getattr(getattr(item, "obj", None), "is_hypothesis_test", False) and not item.get_closest_marker("fuzz"):
            item.add_marker(pytest.mark.fuzz)


@pytest.fixture
def data_dir(tmp_path: Path) -> Path:
    """A writable copy of the fixture annotations (tests may break it)."""
    target = tmp_path / "data"
    shutil.copytree(FIXTURE_DATA, target)
    return target


@pytest.fixture(scope="session")
def package_dir(tmp_path_factory) -> Path:
    """The fixture annotations built into a package, once per session."""
    out = tmp_path_factory.mktemp("pkg") / "build"
    build(FIXTURE_DATA, out, FIXTURE_CORPUS)
    return out


@pytest.fixture(scope="session")
def honest_package(tmp_path_factory) -> Path:
    """The fixture plus a brief whose text hedges its numbers (tests/fixtures/honest/sources): "over $47
    billion in late 2025", a node "between 7nm and 5nm", a date from a dateline, a target "by 2030"."""
    root = tmp_path_factory.mktemp("honest")
    data, corpus = root / "data", root / "corpus"
    shutil.copytree(FIXTURE_DATA, data)
    shutil.copytree(FIXTURE_CORPUS, corpus)
    shutil.copy(HONEST / "honest.txt", corpus / "honest.txt")
    for path in (HONEST / "sources").glob("*.yml"):
        shutil.copy(path, data / "sources" / path.name)
    out = root / "build"
    build(data, out, corpus)
    return out


@pytest.fixture(scope="session")
def synthetic_package(tmp_path_factory) -> Path:
    """A synthetic package of 6,000 facts (bench/synth.py): big enough for paging and chart aggregates."""
    from bench import synth

    out = tmp_path_factory.mktemp("synthetic") / "build"
    synth.write_package(synth.records(6000, seed=3), out, "tests:6000")
    return out
