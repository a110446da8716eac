"""The synthetic demo directory goes in through the directory importer as it is, and search
finds its services by need and everyday words."""

import datetime

import pytest

from upstream.service.directory import search_index
from upstream.service.directory.importer import import_directory
from upstream.service.directory.models import Service
from upstream.service.directory.search import Query, search
from upstream.synth import directory as synthetic

pytestmark = pytest.mark.django_db

NOW = datetime.datetime(2026, 12, 2, 12, 0)


@pytest.fixture
def imported(tmp_path, settings):
    settings.VAR_DIR = tmp_path
    path = synthetic.write(tmp_path / "demo-directory.json", synthetic.generate(seed=5,
                                                                                  services=120))
    return import_directory(path, "demo-directory")


def test_every_synthetic_service_is_imported_with_its_extensions(imported):
    assert Service.objects.count() == 120
    kinds = set(Service.objects.values_list("provision_type", flat=True))
    assert set(synthetic.PROVISION_TYPES) | {"formal"} == kinds
    assert Service.objects.filter(accepting_referrals=False).exists()
    assert not Service.objects.filter(last_verified__isnull=True).exists()
    findable = Service.objects.exclude(status__in=search_index.CLOSED)
    index = search_index.current()
    assert {index.service_id(i) for i in range(len(index))} == set(
        findable.values_list("id", flat=True))


def test_search_finds_synthetic_services_by_need_and_by_everyday_words(imported):
    by_need = search(Query(needs=("food",)), NOW)
    assert by_need and all({t.theme for t in r.terms} == {"food"} for r in by_need)
    by_words = search(Query(text="my mum has dementia and I'm exhausted caring for her"), NOW)
    codes = {t.code for t in by_words[0].terms}
    assert codes & {"dementia_support", "carers_support"}
