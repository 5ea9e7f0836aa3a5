"""pyproject.toml, the locks and environment.yml must agree."""

import re
import tomllib
from pathlib import Path

ROOT = Path(__file__).parents[1]
PIN = re.compile(r"^([A-Za-z0-9_.\-]+)==([^\s;#]+)")


def _norm(name: str) -> str:
    return re.sub(r"[-_.]+", "-", name).lower()


def _pins(lines) -> dict[str, str]:
    pins = {}
    for line in lines:
        match = PIN.match(line.strip().lstrip("- ").strip())
        if match:
            pins[_norm(match.group(1))] = match.group(2)
    return pins


def _pyproject() -> tuple[dict[str, str], dict[str, str], list[str]]:
    project = tomllib.loads((ROOT / "pyproject.toml").read_text())["project"]
    main = project["dependencies"]
    extras = project["optional-dependencies"]
    dev, lab = extras["dev"], extras["lab"]
    return _pins(main), _pins(dev) | _pins(main), main + dev + lab


def test_every_direct_dependency_is_pinned_exactly() -> None:
    *_, everything = _pyproject()
    assert everything and all(PIN.match(spec) for spec in everything), everything


def test_environment_yml_lists_the_same_pins() -> None:
    *_, everything = _pyproject()
    env = _pins((ROOT / "environment.yml").read_text().splitlines())
    assert env == _pins(everything)
    assert "python=3.11" in (ROOT / "environment.yml").read_text()


def test_locks_hold_the_direct_pins_and_only_exact_pins() -> None:
    _, with_dev, everything = _pyproject()
    for lock_name, wanted in (("requirements.lock", with_dev),
                              ("requirements-lab.lock", _pins(everything))):
        lines = (ROOT / lock_name).read_text().splitlines()
        requirements = [ln for ln in lines if ln and not ln.startswith((" ", "#"))]
        assert all(PIN.match(ln) for ln in requirements), lock_name
        lock = _pins(requirements)
        for name, version in wanted.items():
            assert lock.get(name) == version, (lock_name, name)
    # jupyterlab stays out of the render/test environment (NOTEBOOKS.md: slow kernels)
    assert "jupyterlab" not in _pins((ROOT / "requirements.lock").read_text().splitlines())


def test_ci_runs_exactly_the_readme_test_command() -> None:
    readme = (ROOT / "README.md").read_text()
    quickstart = readme.split("## Quickstart", 1)[1].split("\n## ", 1)[0]
    commands = re.findall(r"^```(?:sh|bash)?\n(.*?)\n```", quickstart, flags=re.M | re.S)
    assert [c.strip() for c in commands] == ["make", "make test"]
    ci = (ROOT / ".ci" / "run").read_text().splitlines()
    assert ci[-1] == "exec make test"
