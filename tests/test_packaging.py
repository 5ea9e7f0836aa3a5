"""pyproject.toml, the locks and environment.yml must agree.

pyproject gives the library's dependencies as ranges and the dev and lab tools
exactly; the locks pin everything, inside those ranges; environment.yml pins the
direct dependencies at the lock's versions.
"""

import re
import tomllib
from pathlib import Path

from packaging.requirements import Requirement

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


def _pyproject() -> tuple[list[Requirement], list[Requirement], list[Requirement]]:
    project = tomllib.loads((ROOT / "pyproject.toml").read_text())["project"]
    extras = project["optional-dependencies"]
    return ([Requirement(s) for s in project["dependencies"]],
            [Requirement(s) for s in extras["dev"]], [Requirement(s) for s in extras["lab"]])


def _lock(name: str) -> dict[str, str]:
    lines = (ROOT / name).read_text().splitlines()
    requirements = [ln for ln in lines if ln and not ln.startswith((" ", "#"))]
    assert all(PIN.match(ln) for ln in requirements), name
    return _pins(requirements)


def test_library_dependencies_are_ranges_and_tools_exact_pins() -> None:
    main, dev, lab = _pyproject()
    for requirement in main:
        operators = sorted(spec.operator for spec in requirement.specifier)
        assert operators == ["<", ">="], str(requirement)
    for requirement in dev + lab:
        assert [spec.operator for spec in requirement.specifier] == ["=="], str(requirement)


def test_every_lock_pin_satisfies_the_pyproject_range() -> None:
    main, dev, lab = _pyproject()
    for lock_name, wanted in (("requirements.lock", main + dev),
                              ("requirements-lab.lock", main + dev + lab)):
        lock = _lock(lock_name)
        for requirement in wanted:
            version = lock.get(_norm(requirement.name))
            assert version is not None, (lock_name, requirement.name)
            assert requirement.specifier.contains(version), (lock_name, str(requirement),
                                                             version)
    # jupyterlab stays out of the render/test environment (NOTEBOOKS.md: slow kernels)
    assert "jupyterlab" not in _lock("requirements.lock")


def test_the_two_locks_agree_on_every_shared_package() -> None:
    lock, lab = _lock("requirements.lock"), _lock("requirements-lab.lock")
    assert {name: lab[name] for name in lock} == lock


def test_environment_yml_pins_the_direct_dependencies_at_the_lock_versions() -> None:
    main, dev, lab = _pyproject()
    lock = _lock("requirements-lab.lock")
    text = (ROOT / "environment.yml").read_text()
    direct = [_norm(r.name) for r in main + dev + lab]
    assert _pins(text.splitlines()) == {name: lock[name] for name in direct}
    assert "python=3.11" in text


def test_ci_runs_exactly_the_readme_test_command() -> None:
    readme = (ROOT / "README.md").read_text()
    quickstart = readme.split("## Quickstart", 1)[1].split("\n## ", 1)[0]
    commands = re.findall(r"^```(?:sh|bash)?\n(.*?)\n```", quickstart, flags=re.M | re.S)
    assert [c.strip() for c in commands] == ["make", "make test"]
    ci = (ROOT / ".ci" / "run").read_text().splitlines()
    assert ci[-1] == "exec make test"
