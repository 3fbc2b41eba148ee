"""The running app's address in the data folder, for a reminder's Start (system/browser.py)."""

from __future__ import annotations

from pathlib import Path

import pytest

from deskstretch.system.browser import app_address, forget_app_address, remember_app_address


def test_the_app_address_is_remembered_and_forgotten_by_its_own_app(tmp_path: Path) -> None:
    assert app_address(tmp_path) is None
    remember_app_address(tmp_path, "http://127.0.0.1:9001")
    assert app_address(tmp_path) == "http://127.0.0.1:9001"
    forget_app_address(tmp_path, "http://127.0.0.1:9002")  # another app's: kept
    assert app_address(tmp_path) == "http://127.0.0.1:9001"
    forget_app_address(tmp_path, "http://127.0.0.1:9001")
    assert app_address(tmp_path) is None


@pytest.mark.parametrize(
    "text",
    [
        "http://evil.example:80",
        "file:///etc/passwd",
        "http://127.0.0.1:80/x",
        "",
        "http://127.0.0.1:",
    ],
)
def test_only_a_loopback_address_is_believed(tmp_path: Path, text: str) -> None:
    (tmp_path / "app-address").write_text(text, encoding="utf-8")
    assert app_address(tmp_path) is None
