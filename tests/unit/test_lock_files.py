"""The supply chain (issue 8): the dependency locks carry a hash on every requirement, runtime
and test are locked separately, and the test lock pins every runtime package at the runtime
lock's version (docs/adr/0001)."""

import re
import tomllib
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[2]
LOCKS = ROOT / "requirements"
PIN = re.compile(r"^([A-Za-z0-9][A-Za-z0-9._-]*)==(\S+?)(\s*\\)?$")
HASH = re.compile(r"^--hash=sha256:[0-9a-f]{64}(\s*\\)?$")


def _name(requirement: str) -> str:
    """A distribution name in PEP 503 normal form, from a requirement like ``django>=5.2``."""
    return re.sub(r"[-_.]+", "-", re.match(r"[A-Za-z0-9._-]+", requirement).group()).lower()


def requirements(path: Path) -> dict[str, tuple[str, list[str]]]:
    """``{name: (version, [hashes])}`` of a pip-compile lock; fails on any other kind of line."""
    found: dict[str, tuple[str, list[str]]] = {}
    current = None
    for number, raw in enumerate(path.read_text().splitlines(), 1):
        line = raw.strip()
        if not line or line.startswith("#"):
            continue
        if raw[0].isspace():
            assert current and HASH.match(line), f"{path.name}:{number}: not a hash: {line}"
            found[current][1].append(line.split(":", 1)[1].rstrip(" \\"))
            continue
        pin = PIN.match(line)
        assert pin, f"{path.name}:{number}: not an exact pin (name==version): {line}"
        current = _name(pin.group(1))
        found[current] = (pin.group(2), [])
    return found


@pytest.fixture(scope="module")
def runtime():
    return requirements(LOCKS / "runtime.txt")


@pytest.fixture(scope="module")
def test_lock():
    return requirements(LOCKS / "test.txt")


def _project():
    return tomllib.loads((ROOT / "pyproject.toml").read_text())["project"]


@pytest.mark.parametrize("lock", ["runtime.txt", "test.txt"])
def test_every_requirement_line_carries_a_hash(lock):
    pins = requirements(LOCKS / lock)
    assert pins
    unhashed = sorted(name for name, (_, hashes) in pins.items() if not hashes)
    assert unhashed == [], f"{lock}: pins without --hash: {unhashed}"


def test_the_runtime_lock_holds_every_runtime_dependency_and_no_test_tool(runtime):
    wanted = {_name(requirement) for requirement in _project()["dependencies"]}
    assert wanted <= set(runtime), sorted(wanted - set(runtime))
    tools = {_name(requirement) for requirement in _project()["optional-dependencies"]["test"]}
    assert not tools & set(runtime), sorted(tools & set(runtime))


def test_the_test_lock_pins_runtime_packages_at_the_runtime_versions(runtime, test_lock):
    tools = {_name(requirement) for requirement in _project()["optional-dependencies"]["test"]}
    assert tools <= set(test_lock), sorted(tools - set(test_lock))
    differ = {name: (version, test_lock.get(name, (None,))[0])
              for name, (version, _) in runtime.items()
              if test_lock.get(name, (None,))[0] != version}
    assert differ == {}


def test_no_old_unhashed_lock_is_left_to_install_from():
    assert not (ROOT / "requirements.lock").exists()
    makefile = (ROOT / "Makefile").read_text()
    assert "--require-hashes" in makefile and "requirements.lock" not in makefile
