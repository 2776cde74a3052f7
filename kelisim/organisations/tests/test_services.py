import pytest
from django.core.exceptions import PermissionDenied, ValidationError

from kelisim.core.models import OutboxEmail, Region
from kelisim.core.tests.factories import StrandFactory
from kelisim.organisations import services
from kelisim.organisations.models import Membership, Organisation
from kelisim.organisations.tests.factories import (
    MembershipFactory,
    OrganisationFactory,
    UserFactory,
    officer,
    valid_bin,
)

pytestmark = pytest.mark.django_db


def profile(**overrides):
    data = {
        "bin": valid_bin(70_001),
        "name_ru": "Новое поколение",
        "legal_form": Organisation.LegalForm.PUBLIC_FOUNDATION,
        "region": Region.objects.get(code="KZ-75"),
        "private_email": "director@new.example.kz",
    }
    data.update(overrides)
    return data


def admin_of(organisation):
    return MembershipFactory(organisation=organisation, role=Membership.Role.ADMIN).user


# --- Registering and editing -----------------------------------------------------------------


def test_registering_makes_the_user_its_admin_and_leaves_it_unverified():
    user = UserFactory()
    strand = StrandFactory(code="youth")
    organisation = services.register_organisation(actor=user, data=profile(), strands=[strand])
    assert organisation.verification_status == Organisation.Verification.UNVERIFIED
    assert list(organisation.focus_strands.all()) == [strand]
    membership = Membership.objects.get(organisation=organisation)
    assert (membership.user, membership.role, membership.status) == (user, "admin", "active")
    assert organisation.history.latest().history_user == user


def test_a_bin_can_be_registered_only_once():
    existing = OrganisationFactory()
    with pytest.raises(ValidationError) as error:
        services.register_organisation(actor=UserFactory(), data=profile(bin=existing.bin))
    assert "already registered" in str(error.value)


def test_a_bad_check_digit_is_refused():
    good = valid_bin(70_002)
    bad = good[:-1] + str((int(good[-1]) + 1) % 10)
    with pytest.raises(ValidationError) as error:
        services.register_organisation(actor=UserFactory(), data=profile(bin=bad))
    assert "check digit" in str(error.value)


def test_only_admins_and_officers_edit_the_profile():
    organisation = OrganisationFactory()
    member = MembershipFactory(organisation=organisation).user
    with pytest.raises(PermissionDenied):
        services.update_organisation(actor=member, organisation=organisation, data={"name_en": "Hijacked"})
    services.update_organisation(actor=admin_of(organisation), organisation=organisation, data={"name_en": "Renamed"})
    services.update_organisation(actor=officer(), organisation=organisation, data={"address": "Astana"})
    organisation.refresh_from_db()
    assert (organisation.name_en, organisation.address) == ("Renamed", "Astana")


# --- Verification --------------------------------------------------------------------------------


def test_an_officer_verifies_with_a_note_kept_in_history():
    organisation = OrganisationFactory()
    actor = officer()
    services.transition_verification(
        actor=actor, organisation=organisation, to="verified", reason="Registry extract checked"
    )
    organisation.refresh_from_db()
    assert organisation.is_verified and organisation.verified_by == actor
    record = organisation.history.latest()
    assert record.history_user == actor
    assert "Registry extract checked" in record.history_change_reason
    assert record.verification_note == "Registry extract checked"


def test_verification_needs_an_officer_and_a_reason():
    organisation = OrganisationFactory()
    with pytest.raises(PermissionDenied):
        services.transition_verification(
            actor=admin_of(organisation), organisation=organisation, to="verified", reason="x"
        )
    with pytest.raises(ValidationError):
        services.transition_verification(actor=officer(), organisation=organisation, to="rejected", reason="  ")
    with pytest.raises(ValidationError):
        services.transition_verification(actor=officer(), organisation=organisation, to="unverified", reason="same")


# --- Membership ----------------------------------------------------------------------------------


def test_asking_to_join_then_an_admin_approves():
    organisation = OrganisationFactory()
    admin = admin_of(organisation)
    person = UserFactory()
    membership = services.request_membership(actor=person, organisation=organisation)
    assert membership.status == Membership.Status.PENDING
    services.decide_membership(actor=admin, membership=membership, approve=True)
    membership.refresh_from_db()
    assert membership.status == Membership.Status.ACTIVE and membership.decided_by == admin
    assert membership.history.latest().history_user == admin


def test_asking_twice_is_refused_and_a_declined_person_may_ask_again():
    organisation = OrganisationFactory()
    person = UserFactory()
    membership = services.request_membership(actor=person, organisation=organisation)
    with pytest.raises(ValidationError):
        services.request_membership(actor=person, organisation=organisation)
    services.decide_membership(actor=admin_of(organisation), membership=membership, approve=False)
    again = services.request_membership(actor=person, organisation=organisation)
    assert again.pk == membership.pk and again.status == Membership.Status.PENDING


def test_a_member_cannot_approve_requests():
    organisation = OrganisationFactory()
    member = MembershipFactory(organisation=organisation).user
    request = services.request_membership(actor=UserFactory(), organisation=organisation)
    with pytest.raises(PermissionDenied):
        services.decide_membership(actor=member, membership=request, approve=True)


def test_each_active_admin_is_emailed_a_request_to_join_in_their_language_with_the_page_to_decide():
    organisation = OrganisationFactory(name_kk="Бейбітшілік жолы", name_ru="Путь мира", name_en="Path of Peace")
    kazakh = MembershipFactory(
        organisation=organisation, role=Membership.Role.ADMIN, user=UserFactory(preferred_language="kk")
    ).user
    english = MembershipFactory(
        organisation=organisation, role=Membership.Role.ADMIN, user=UserFactory(preferred_language="en")
    ).user
    MembershipFactory(organisation=organisation)  # a plain member: not asked
    MembershipFactory(organisation=organisation, role=Membership.Role.ADMIN, status=Membership.Status.PENDING)
    gone = MembershipFactory(organisation=organisation, role=Membership.Role.ADMIN).user
    gone.is_active = False
    gone.save()
    MembershipFactory(role=Membership.Role.ADMIN)  # an admin of another organisation

    services.request_membership(actor=UserFactory(display_name="Aigerim Sadykova"), organisation=organisation)

    sent = {message.to: message for message in OutboxEmail.objects.filter(topic="organisations.join_request")}
    assert set(sent) == {kazakh.email, english.email}
    members_page = f"/organisations/{organisation.pk}/members/"
    assert sent[english.email].subject == "Aigerim Sadykova asks to join Path of Peace"
    assert f"http://127.0.0.1:8000/en{members_page}" in sent[english.email].body_text
    assert "Бейбітшілік жолы" in sent[kazakh.email].subject and "Aigerim Sadykova" in sent[kazakh.email].subject
    assert "қосылуды сұрады" in sent[kazakh.email].body_text and "Path of Peace" not in sent[kazakh.email].body_text
    assert f"http://127.0.0.1:8000/kk{members_page}" in sent[kazakh.email].body_text


def test_asking_again_after_a_refusal_tells_the_admins_again_and_a_refused_request_tells_them_nothing():
    organisation = OrganisationFactory()
    admin = admin_of(organisation)
    person = UserFactory()
    membership = services.request_membership(actor=person, organisation=organisation)
    with pytest.raises(ValidationError):
        services.request_membership(actor=person, organisation=organisation)  # already waiting: no new email
    assert OutboxEmail.objects.filter(to=admin.email, topic="organisations.join_request").count() == 1
    services.decide_membership(actor=admin, membership=membership, approve=False)
    services.request_membership(actor=person, organisation=organisation)
    assert OutboxEmail.objects.filter(to=admin.email, topic="organisations.join_request").count() == 2


def test_the_person_asking_is_told_of_an_approval_in_their_language():
    organisation = OrganisationFactory(name_ru="Путь мира", name_en="Path of Peace")
    person = UserFactory(preferred_language="ru")
    membership = services.request_membership(actor=person, organisation=organisation)
    services.decide_membership(actor=admin_of(organisation), membership=membership, approve=True)
    message = OutboxEmail.objects.get(to=person.email, topic="organisations.join_decided")
    assert message.subject == "Теперь вы участник организации «Путь мира»"
    assert f"http://127.0.0.1:8000/ru/organisations/{organisation.pk}/" in message.body_text


def test_the_person_asking_is_told_of_a_refusal_with_the_reason_given():
    organisation = OrganisationFactory(name_en="Path of Peace")
    person = UserFactory(preferred_language="en")
    membership = services.request_membership(actor=person, organisation=organisation)
    services.decide_membership(
        actor=admin_of(organisation), membership=membership, approve=False, reason="We only take staff <members>."
    )
    message = OutboxEmail.objects.get(to=person.email, topic="organisations.join_decided")
    assert message.subject == "Your request to join Path of Peace was declined"
    assert "Reason given: We only take staff <members>." in message.body_text  # plain text: nothing escaped
    assert f"http://127.0.0.1:8000/en/organisations/{organisation.pk}/" in message.body_text

    services.request_membership(actor=person, organisation=organisation)
    services.decide_membership(actor=admin_of(organisation), membership=membership, approve=False)
    latest = OutboxEmail.objects.filter(to=person.email, topic="organisations.join_decided").latest("pk")
    assert "Reason given" not in latest.body_text


def test_a_decision_that_fails_sends_nothing():
    organisation = OrganisationFactory()
    person = UserFactory()
    membership = services.request_membership(actor=person, organisation=organisation)
    with pytest.raises(PermissionDenied):
        services.decide_membership(actor=UserFactory(), membership=membership, approve=True)
    services.decide_membership(actor=admin_of(organisation), membership=membership, approve=True)
    with pytest.raises(ValidationError):
        services.decide_membership(actor=admin_of(organisation), membership=membership, approve=False)
    assert OutboxEmail.objects.filter(to=person.email, topic="organisations.join_decided").count() == 1


def test_an_admin_of_another_organisation_has_no_say():
    organisation = OrganisationFactory()
    outsider = admin_of(OrganisationFactory())
    membership = MembershipFactory(organisation=organisation)
    with pytest.raises(PermissionDenied):
        services.change_member_role(actor=outsider, membership=membership, role="admin")
    with pytest.raises(PermissionDenied):
        services.remove_member(actor=outsider, membership=membership)


def test_role_changes_are_recorded_with_who_and_why():
    organisation = OrganisationFactory()
    admin = admin_of(organisation)
    membership = MembershipFactory(organisation=organisation)
    services.change_member_role(actor=admin, membership=membership, role="admin", reason="new director")
    record = Membership.history.filter(id=membership.pk).latest()
    assert (record.role, record.history_user, record.history_change_reason) == ("admin", admin, "new director")


def test_the_last_admin_can_neither_be_removed_nor_demoted():
    organisation = OrganisationFactory()
    admin_membership = MembershipFactory(organisation=organisation, role=Membership.Role.ADMIN)
    with pytest.raises(ValidationError):
        services.remove_member(actor=admin_membership.user, membership=admin_membership)
    with pytest.raises(ValidationError):
        services.change_member_role(actor=admin_membership.user, membership=admin_membership, role="member")
    second = MembershipFactory(organisation=organisation, role=Membership.Role.ADMIN)
    services.remove_member(actor=second.user, membership=admin_membership)
    assert not Membership.objects.filter(pk=admin_membership.pk).exists()
    deleted = Membership.history.filter(id=admin_membership.pk).latest()
    assert deleted.history_type == "-" and deleted.history_user == second.user


def test_a_member_may_leave():
    membership = MembershipFactory()
    services.remove_member(actor=membership.user, membership=membership)
    assert not Membership.objects.filter(pk=membership.pk).exists()


# --- Import ----------------------------------------------------------------------------------------


def test_only_officers_start_imports():
    from django.core.files.uploadedfile import SimpleUploadedFile

    upload = SimpleUploadedFile("a.csv", b"bin\n")
    with pytest.raises(PermissionDenied):
        services.start_import(actor=UserFactory(), uploaded_file=upload, mode="valid_rows")
