"""Swap a staged package in as the current version: the one step a build and a release pull share.

Layout: OUT is a symlink to `.OUT.versions/<build_id>/`. The staged directory is renamed to
`.OUT.versions/<build_id>/` and the link re-pointed in one `os.replace`, so a reader sees either
the old package or the new one, never a half-written one. The last few versions are kept so that a
session reading an older one is not cut off mid-query. `python -m etl build` stages a package it
writes (etl/build.py); the app stages a release it downloads (tracker/releases.py).
"""

from __future__ import annotations

import datetime as dt
import json
import os
import shutil
from pathlib import Path

from contract import MANIFEST
from etl.staging import link_of

KEEP_VERSIONS = 3


def versions_of(out: Path) -> Path:
    """The folder beside `out` that holds its versions and their staging directories."""
    return out.parent / f".{out.name}.versions"


def _intact(final: Path, staging: Path, build_id: str) -> bool:
    """Whether the version built before from the same inputs is whole: its manifest names this build
    and every file is there at the size this build wrote (a damaged copy is replaced, so rebuilding
    is always the cure the app's messages say it is)."""
    try:
        if json.loads((final / MANIFEST).read_text(encoding="utf-8")).get("build_id") != build_id:
            return False
        return all(
            (final / f.name).stat().st_size == f.stat().st_size
            for f in staging.iterdir()
            if f.is_file() and f.name != MANIFEST
        )
    except (OSError, ValueError, AttributeError):
        return False


def swap_in(staging: Path, out: Path, build_id: str) -> Path:
    """Make the complete package in `staging` (inside versions_of(out)) the version `out` links to."""
    versions = versions_of(out)
    final = versions / build_id
    if final.exists() and _intact(final, staging, build_id):
        # the same inputs were built before: that version is identical and may be being read
        # right now, so keep it rather than move it away for a moment
        shutil.rmtree(staging)
    else:
        if final.exists():  # a damaged copy or leftover: moved aside, then removed
            trash = versions / f".trash-{build_id}-{os.getpid()}"
            os.rename(final, trash)
            shutil.rmtree(trash, ignore_errors=True)
        os.rename(staging, final)
    if out.exists() and not out.is_symlink():
        # a plain directory from elsewhere: keep it as an old version rather than delete it
        os.rename(out, versions / f"legacy-{dt.datetime.now().strftime('%Y%m%d%H%M%S')}")
    link = link_of(staging)  # the next build removes it if this one dies before the swap
    if link.is_symlink() or link.exists():
        link.unlink()
    os.symlink(os.path.relpath(final, out.parent), link)
    os.replace(link, out)
    os.utime(final)
    old = sorted(
        (p for p in versions.iterdir() if p.is_dir() and p != final and not p.name.startswith(".")),
        key=lambda p: p.stat().st_mtime,
        reverse=True,
    )
    for stale in old[KEEP_VERSIONS - 1 :]:
        shutil.rmtree(stale, ignore_errors=True)
    return final
