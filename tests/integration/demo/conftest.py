"""The demo world writes files (its directory feed, the import report, synthetic postcode
centroids): in these tests they go to a temporary folder, never the repository's var/."""

import pytest
from django.test import override_settings


@pytest.fixture(autouse=True, scope="module")
def demo_files_in_a_temporary_folder(tmp_path_factory):
    folder = tmp_path_factory.mktemp("demo-var")
    with override_settings(VAR_DIR=folder,
                           UPSTREAM_POSTCODE_DIRECTORY=folder / "demo-postcodes.sqlite3"):
        yield folder
