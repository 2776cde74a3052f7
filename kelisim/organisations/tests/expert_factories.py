"""Factories for the expert roster's tests (people, organisations and memberships are the registry's)."""

import factory

from kelisim.core.models import Region
from kelisim.core.tests.factories import reference_data_factory
from kelisim.organisations.models import Expert, ExpertiseField
from kelisim.organisations.tests.factories import MembershipFactory, OrganisationFactory, UserFactory

__all__ = ["ExpertFactory", "ExpertiseFieldFactory", "MembershipFactory", "OrganisationFactory", "UserFactory"]


ExpertiseFieldFactory = reference_data_factory(
    ExpertiseField, key="code", key_prefix="field", names=("Field", "Область", "Сала")
)


class ExpertFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Expert
        skip_postgeneration_save = True

    full_name = factory.Sequence(lambda n: f"Expert Person {n}")
    title_en = "Lecturer"
    title_ru = "Лектор"
    title_kk = "Лектор"
    languages = "kk,ru"
    contact_email = factory.Sequence(lambda n: f"hidden-expert-{n}@experts.example.kz")
    is_listed = True

    @factory.post_generation
    def fields(self, create, extracted, **kwargs):
        if create:
            self.fields.set(extracted if extracted is not None else [ExpertiseFieldFactory(code="theology")])

    @factory.post_generation
    def regions(self, create, extracted, **kwargs):
        if create:
            self.regions.set(extracted if extracted is not None else [Region.objects.get(code="KZ-71")])
