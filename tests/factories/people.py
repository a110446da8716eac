"""Synthetic people: NHS numbers from the 999 test range that pass Modulus 11."""

import datetime

import factory
from factory.django import DjangoModelFactory

from upstream.service.people.models import Person
from upstream.standards.nhs_number import test_range

_nhs_numbers = test_range()


class PersonFactory(DjangoModelFactory):
    class Meta:
        model = Person

    given_name = "Alex"
    family_name = factory.Sequence(lambda n: f"Synthetic{n}")
    date_of_birth = factory.Sequence(
        lambda n: datetime.date(1970, 1, 1) + datetime.timedelta(days=n))
    nhs_number = factory.LazyFunction(lambda: next(_nhs_numbers))
    gp_practice_ods = "Y12345"
