"""NHS.UK frontend's stylesheet as the service serves it, found by a static files finder.

The ``nhsuk-frontend`` npm package ships no font files: its stylesheet declares the licensed
Frutiger web font with files on assets.nhs.uk, and Chromium fetches those even when the page
names other fonts, so pages depended on another host (and failed offline). Its icons are linked
at ``/assets/images/...``, a path the service does not serve. The copy the pages load has the
``@font-face`` rules removed (the device's own fonts are used: ``static/upstream/upstream.css``)
and the icon links pointed at the service's copy of the package's assets. ADR 0007.

``ServedStylesheetFinder`` makes that copy when Django's static files machinery first asks for it
(a page served by ``runserver`` or the test server, or ``collectstatic``), never at import.
"""

import re
from pathlib import Path

from django.conf import settings
from django.contrib.staticfiles.finders import BaseFinder
from django.core.files.storage import FileSystemStorage

FONT_FACE = re.compile(r"@font-face\s*\{[^}]*\}")
ICONS = "url(/assets/"

SERVED_NAME = "nhsuk-frontend-service.min.css"
"""The stylesheet pages load, beside the package's own under ``static/nhsuk/``."""


def for_the_service(css: str, assets_url: str) -> str:
    """``css`` without ``@font-face`` rules, its ``/assets/`` links under ``assets_url``."""
    return FONT_FACE.sub("", css).replace(ICONS, f"url({assets_url}")


def write_served_stylesheet(package_css: Path, target_dir: Path, assets_url: str) -> Path:
    """Write ``SERVED_NAME`` into ``target_dir`` from the package's stylesheet (only when it
    changed, so running servers and collectstatic see a stable file)."""
    target = target_dir / SERVED_NAME
    if not package_css.exists():  # node_modules not installed: nothing to serve yet
        return target
    text = for_the_service(package_css.read_text(encoding="utf-8"), assets_url)
    if not target.exists() or target.read_text(encoding="utf-8") != text:
        target_dir.mkdir(parents=True, exist_ok=True)
        target.write_text(text, encoding="utf-8")
    return target


class ServedStylesheetFinder(BaseFinder):
    """Finds ``nhsuk/SERVED_NAME``, written from ``settings.NHSUK_DIST`` into
    ``settings.SERVED_NHSUK_DIR`` on first use (and again whenever the package's copy changes)."""

    prefix = "nhsuk"

    def _written(self) -> Path:
        return write_served_stylesheet(
            Path(settings.NHSUK_DIST) / "nhsuk-frontend.min.css",
            Path(settings.SERVED_NHSUK_DIR), settings.STATIC_URL + "nhsuk/assets/")

    def find(self, path, find_all=False, **kwargs):
        find_all = self._check_deprecated_find_param(find_all=find_all, **kwargs)
        if path == f"{self.prefix}/{SERVED_NAME}" and (target := self._written()).exists():
            return [str(target)] if find_all else str(target)
        return [] if find_all else None

    def list(self, ignore_patterns):
        target = self._written()
        if target.exists():
            storage = FileSystemStorage(location=str(target.parent))
            storage.prefix = self.prefix
            yield SERVED_NAME, storage
