"""A small world with one user per actor of the authorization table, shared by cross-app tests."""

import importlib
import pkgutil
from types import SimpleNamespace

from allauth.account.models import EmailAddress
from allauth.mfa.models import Authenticator
from allauth.mfa.totp.internal.auth import TOTP
from django.apps import apps

from kelisim.accounts.models import Role, User
from kelisim.accounts.services import grant_role
from kelisim.core.models import Region, Strand
from kelisim.core.tests.access import ACTORS, Rule
from kelisim.organisations.models import Expert, ExpertiseField, Membership, Organisation
from kelisim.organisations.validators import make_bin

PLATFORM_ROLES = {
    "officer": Role.OFFICER,
    "reviewer": Role.REVIEWER,
    "moderator": Role.MODERATOR,
    "administrator": Role.ADMINISTRATOR,
}
TOTP_SECRET = "JBSWY3DPEHPK3PXPWORLDAAA"


def access_rule_modules():
    """Every ``kelisim.<app>.tests.*access_rules`` module."""
    for config in apps.get_app_configs():
        if not config.name.startswith("kelisim."):
            continue
        try:
            tests_package = importlib.import_module(f"{config.name}.tests")
        except ModuleNotFoundError:
            continue
        for module_info in pkgutil.iter_modules(tests_package.__path__):
            if module_info.name.endswith("access_rules"):
                yield importlib.import_module(f"{config.name}.tests.{module_info.name}")


def all_rules() -> list[Rule]:
    return [rule for module in access_rule_modules() for rule in getattr(module, "ACCESS_RULES", [])]


def _user(actor: str) -> User:
    email = f"{actor.replace('_', '-')}@world.test"
    user = User.objects.create_user(email=email, password="world-password-123", display_name=actor)
    EmailAddress.objects.create(user=user, email=email, verified=True, primary=True)
    return user


def _organisation(serial: int, name: str) -> Organisation:
    number = None
    while number is None:
        number = make_bin(f"160240{serial:05d}")
        serial += 100
    organisation = Organisation.objects.create(
        bin=number,
        name_en=name,
        name_ru=name,
        name_kk=name,
        legal_form=Organisation.LegalForm.PUBLIC_ASSOCIATION,
        region=Region.objects.get(code="KZ-71"),
        verification_status=Organisation.Verification.VERIFIED,
        private_email=f"private{serial}@world.test",
    )
    return organisation


def build_world() -> SimpleNamespace:
    world = SimpleNamespace(users={})
    for actor in ACTORS[1:]:
        world.users[actor] = _user(actor)
    world.users["anonymous"] = None
    for actor, role in PLATFORM_ROLES.items():
        grant_role(actor=None, user=world.users[actor], role=role, reason="access world")
        if role != Role.REVIEWER and not Authenticator.objects.filter(user=world.users[actor]).exists():
            TOTP.activate(world.users[actor], TOTP_SECRET)
    world.strand, _ = Strand.objects.get_or_create(
        code="youth", defaults={"name_en": "Youth", "name_ru": "Молодёжь", "name_kk": "Жастар"}
    )
    world.organisation = _organisation(1, "World NGO")
    world.other_organisation = _organisation(2, "Other NGO")
    Membership.objects.create(
        user=world.users["ngo_member"],
        organisation=world.organisation,
        role=Membership.Role.MEMBER,
        status=Membership.Status.ACTIVE,
    )
    Membership.objects.create(
        user=world.users["ngo_admin"],
        organisation=world.organisation,
        role=Membership.Role.ADMIN,
        status=Membership.Status.ACTIVE,
    )
    Membership.objects.create(
        user=world.users["ngo_admin_other"],
        organisation=world.other_organisation,
        role=Membership.Role.ADMIN,
        status=Membership.Status.ACTIVE,
    )
    field, _ = ExpertiseField.objects.get_or_create(
        code="theology", defaults={"name_en": "Theology", "name_ru": "Теология", "name_kk": "Теология"}
    )
    world.expert = Expert.objects.create(
        full_name="World Expert", languages="kk,ru", contact_email="expert@world.test", organisation=world.organisation
    )
    world.expert.fields.add(field)
    for module in access_rule_modules():
        extend = getattr(module, "extend_world", None)
        if extend is not None:
            extend(world)
    return world
