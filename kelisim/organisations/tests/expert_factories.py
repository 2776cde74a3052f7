"""Factories for the expert roster's tests."""

import factory

from kelisim.accounts.models import User
from kelisim.core.models import Region
from kelisim.organisations.models import Expert, ExpertiseField, Membership, Organisation
from kelisim.organisations.validators import make_bin


def _valid_bin(serial: int) -> str:
    number = None
    while number is None:
        number = make_bin(f"1703407{serial:04d}")
        serial += 1
    return number


class UserFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = User
        django_get_or_create = ("email",)

    email = factory.Sequence(lambda n: f"expert-test-user-{n}@example.kz")
    display_name = factory.Sequence(lambda n: f"Test Person {n}")
    password = factory.django.Password("test-password-123")


class OrganisationFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Organisation

    bin = factory.Sequence(lambda n: _valid_bin(n * 3))
    name_en = factory.Sequence(lambda n: f"Experts' NGO {n}")
    name_ru = factory.Sequence(lambda n: f"НПО экспертов {n}")
    name_kk = factory.Sequence(lambda n: f"Сарапшылар ҮЕҰ {n}")
    legal_form = Organisation.LegalForm.PUBLIC_ASSOCIATION
    region = factory.LazyFunction(lambda: Region.objects.get(code="KZ-71"))
    public_email = factory.Sequence(lambda n: f"public{n}@ngo.example.kz")
    private_email = factory.Sequence(lambda n: f"private{n}@ngo.example.kz")


class MembershipFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Membership

    user = factory.SubFactory(UserFactory)
    organisation = factory.SubFactory(OrganisationFactory)
    role = Membership.Role.MEMBER
    status = Membership.Status.ACTIVE


class ExpertiseFieldFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = ExpertiseField
        django_get_or_create = ("code",)

    code = factory.Sequence(lambda n: f"field-{n}")
    name_en = factory.Sequence(lambda n: f"Field {n}")
    name_ru = factory.Sequence(lambda n: f"Область {n}")
    name_kk = factory.Sequence(lambda n: f"Сала {n}")


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
