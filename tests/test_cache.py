"""The result cache: keyed by content and code, best effort, never inside the project."""

from __future__ import annotations

import os
import pickle

import pytest

from planlang import cache as cache_mod
from planlang.cache import Cache, cache_folder, content_key


@pytest.fixture
def folder(tmp_path, monkeypatch):
    monkeypatch.setenv("PLANLANG_CACHE_DIR", str(tmp_path / "c"))
    monkeypatch.delenv("PLANLANG_NO_CACHE", raising=False)
    return tmp_path / "c"


def test_a_stored_value_is_found_by_the_same_key_and_not_by_another(folder):
    c = Cache("progress")
    k = content_key("甲.plan", "方案 甲 {}")
    c.put(k, {"a": [1, 2]})
    assert Cache("progress").get(k) == {"a": [1, 2]}
    assert Cache("progress").get(content_key("甲.plan", "方案 乙 {}")) is None
    assert Cache("check").get(k) is None  # kinds do not share entries


def test_the_key_depends_on_every_part_and_their_boundaries():
    assert content_key("ab", "c") != content_key("a", "bc")
    assert content_key("a", None) != content_key("a", "")
    assert content_key("甲") == content_key("甲".encode())


def test_the_key_changes_when_the_code_changes(monkeypatch):
    before = content_key("x")
    monkeypatch.setattr(cache_mod, "code_fingerprint", lambda: "another build")
    assert content_key("x") != before


def test_a_torn_entry_is_a_miss_and_is_removed(folder):
    c = Cache("check")
    k = content_key("x")
    c.put(k, 1)
    entry = folder / "check" / k[:2] / k
    entry.write_bytes(pickle.dumps(1)[:3])
    assert c.get(k) is None
    assert not entry.exists()


def test_turned_off_it_stores_nothing(folder, monkeypatch):
    monkeypatch.setenv("PLANLANG_NO_CACHE", "1")
    assert cache_folder() is None
    c = Cache("check")
    c.put(content_key("x"), 1)
    assert not c.enabled and c.get(content_key("x")) is None
    assert not folder.exists()


def test_an_unwritable_folder_is_no_error(tmp_path, monkeypatch):
    blocker = tmp_path / "file"
    blocker.write_text("not a folder")
    monkeypatch.setenv("PLANLANG_CACHE_DIR", str(blocker))
    monkeypatch.delenv("PLANLANG_NO_CACHE", raising=False)
    c = Cache("check")
    c.put(content_key("x"), 1)
    assert c.get(content_key("x")) is None


def test_the_default_folder_is_the_users_cache_not_the_project(monkeypatch, tmp_path):
    monkeypatch.delenv("PLANLANG_CACHE_DIR", raising=False)
    monkeypatch.delenv("PLANLANG_NO_CACHE", raising=False)
    monkeypatch.setenv("XDG_CACHE_HOME", str(tmp_path / "xdg"))
    assert cache_folder() == tmp_path / "xdg" / "planlang" / "cache"


def test_entries_unused_for_a_month_are_pruned(folder):
    c = Cache("check")
    old, new = content_key("old"), content_key("new")
    c.put(old, 1)
    entry = folder / "check" / old[:2] / old
    month_ago = entry.stat().st_mtime - 31 * 24 * 3600
    os.utime(entry, (month_ago, month_ago))
    (folder / "check" / ".pruned").unlink()
    Cache("check").put(new, 2)
    assert not entry.exists()
    assert Cache("check").get(new) == 2
