import factory

from kelisim.core.models import Region
from kelisim.organisations.models import Membership, Organisation
from kelisim.organisations.validators import make_bin

PASSWORD = "correct-horse-battery"


def valid_bin(serial: int) -> str:
    """A valid BIN for test number ``serial``: registered Jan 2015, legal entity, unique serial."""
    while True:
        candidate = make_bin(f"1501{4 if serial < 100_000 else 5}0{serial % 100_000:05d}")
        if candidate:
            return candidate
        serial += 200_000  # never collides with the next sequence values


class UserFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = "accounts.User"
        django_get_or_create = ("email",)

    # Not accounts' "person{n}": with get_or_create, a shared pattern handed back a user that another factory had
    # already made a member, depending on the order the tests ran in.
    email = factory.Sequence(lambda n: f"member{n}@example.kz")
    display_name = factory.Sequence(lambda n: f"Person {n}")
    password = factory.django.Password(PASSWORD)


class OrganisationFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Organisation
        skip_postgeneration_save = True

    bin = factory.Sequence(valid_bin)
    name_en = factory.Sequence(lambda n: f"Civic Dialogue {n}")
    name_ru = factory.Sequence(lambda n: f"Гражданский диалог {n}")
    name_kk = factory.Sequence(lambda n: f"Азаматтық диалог {n}")
    legal_form = Organisation.LegalForm.PUBLIC_ASSOCIATION
    region = factory.LazyFunction(lambda: Region.objects.get(code="KZ-71"))
    working_languages = "kk,ru"
    public_email = factory.Sequence(lambda n: f"info{n}@ngo.example.kz")
    private_email = factory.Sequence(lambda n: f"director{n}@ngo.example.kz")
    private_phone = "+7 700 000 00 00"
    description_en = "Lectures and meetings with young people."

    @factory.post_generation
    def strands(self, create, extracted, **kwargs):
        if create and extracted:
            self.focus_strands.set(extracted)


class MembershipFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Membership

    user = factory.SubFactory(UserFactory)
    organisation = factory.SubFactory(OrganisationFactory)
    role = Membership.Role.MEMBER
    status = Membership.Status.ACTIVE


def officer():
    from kelisim.accounts.models import Role
    from kelisim.accounts.services import grant_role

    user = UserFactory()
    grant_role(actor=None, user=user, role=Role.OFFICER)
    return user
