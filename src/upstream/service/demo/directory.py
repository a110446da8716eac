"""The demo's community service directory: the synthetic HSDS 3.0 directory
(``synth.directory``) written as a feed file and brought in through the directory importer, as
a council's feed would be; and synthetic postcode centroids for every demo person's and
service's postcode, so distance search works without the real ONS postcode directory."""

from pathlib import Path

from django.conf import settings

from upstream.service.directory.importer import import_directory
from upstream.service.people.models import Person
from upstream.standards import postcode_directory
from upstream.synth import directory as synthetic

DEMO_FEED = "demo-directory"
DEMO_SERVICES = 400


def add_directory(seed: int, services: int = DEMO_SERVICES) -> int:
    """Import ``services`` synthetic services and write the demo postcode centroids; returns
    the number of services imported."""
    generated = synthetic.generate(seed=seed, services=services)
    feed = synthetic.write(Path(settings.VAR_DIR) / f"{DEMO_FEED}.json", generated)
    import_directory(feed, DEMO_FEED)
    postcodes = set(Person.objects.exclude(postcode="").values_list("postcode", flat=True))
    postcodes |= {address["postal_code"] for service in generated
                  for sal in service["service_at_locations"]
                  for address in sal["location"]["addresses"]}
    centroids = [(code, *point) for code in sorted(postcodes)
                 if (point := synthetic.demo_centroid(code)) is not None]
    postcode_directory.write(settings.UPSTREAM_POSTCODE_DIRECTORY, centroids)
    return len(generated)
