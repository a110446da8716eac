"""The analytics packages import in a bare interpreter without Django (DESIGN: dependencies
point one way; an analyst uses them from a notebook, a batch job runs them)."""

import os
import subprocess
import sys

PACKAGES = ("standards", "data", "synth", "casefinding", "evaluation")

SCRIPT = f"""
import importlib, pkgutil, sys
for package in {PACKAGES!r}:
    root = importlib.import_module("upstream." + package)
    for module in pkgutil.walk_packages(root.__path__, root.__name__ + "."):
        importlib.import_module(module.name)
leaked = sorted(name for name in sys.modules if name == "django" or name.startswith("django."))
print("imported django:", leaked[:5] if leaked else "no")
"""


def test_every_analytics_module_imports_without_django():
    environment = {k: v for k, v in os.environ.items() if k != "DJANGO_SETTINGS_MODULE"}
    result = subprocess.run([sys.executable, "-c", SCRIPT], capture_output=True, text=True,
                            env=environment, timeout=300, check=False)
    assert result.returncode == 0, result.stderr
    assert result.stdout.strip() == "imported django: no"
