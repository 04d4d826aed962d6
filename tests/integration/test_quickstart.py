"""The integrator quick start of docs/quickstart.md, run as an integrator would run it:
pytest on the example test, with the wwe_host plugin that the package installs."""

from __future__ import annotations

import re
import shutil
import subprocess
import sys
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[2]


def quickstart_test_code() -> str:
    text = (ROOT / "docs" / "quickstart.md").read_text()
    blocks = re.findall(r"```python\n(.*?)```", text, re.S)
    assert blocks, "docs/quickstart.md has no python block"
    return blocks[0]


def test_the_quick_start_is_the_example_and_it_passes(tmp_path: Path) -> None:
    code = quickstart_test_code()
    assert code == (ROOT / "examples" / "test_crm.py").read_text()
    assert len(code.strip().splitlines()) <= 32
    shutil.copytree(ROOT / "examples" / "crm", tmp_path / "crm")
    (tmp_path / "test_crm.py").write_text(code)
    result = subprocess.run(
        [sys.executable, "-m", "pytest", "-q", "-p", "no:cacheprovider", str(tmp_path)],
        cwd=tmp_path,
        capture_output=True,
        text=True,
        timeout=180,
    )
    assert result.returncode == 0, result.stdout + result.stderr
    assert "1 passed" in result.stdout


def test_the_plugin_is_registered(pytestconfig: pytest.Config) -> None:
    plugin = pytestconfig.pluginmanager.get_plugin("wwe_host")
    assert plugin is not None and plugin.__name__ == "wwe_host.testing"
    for name in ("wwe_host_config", "wwe_host", "sim", "static_site", "desktop"):
        assert callable(getattr(plugin, name)), name
