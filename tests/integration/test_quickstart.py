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


def quickstart_test_code(index: int = 0) -> str:
    text = (ROOT / "docs" / "quickstart.md").read_text()
    blocks = re.findall(r"```python\n(.*?)```", text, re.S)
    assert len(blocks) > index, "docs/quickstart.md lacks a python block"
    return str(blocks[index])


@pytest.mark.parametrize(("index", "app"), [(0, "crm"), (1, "campaign")])
def test_the_quick_start_is_the_example_and_it_passes(tmp_path: Path, index: int, app: str) -> None:
    code = quickstart_test_code(index)
    assert code == (ROOT / "examples" / f"test_{app}.py").read_text()
    assert len(code.strip().splitlines()) <= (32 if app == "crm" else 36)
    files = {"crm": "crm", "campaign": "dialer"}[app]
    shutil.copytree(ROOT / "examples" / files, tmp_path / files)
    (tmp_path / f"test_{app}.py").write_text(code)
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
