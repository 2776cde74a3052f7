"""Who the token belongs to: the simplest proof that a token works."""

from ninja import Router, Schema

from kelisim.api.auth import token_auth
from kelisim.api.errors import Error
from kelisim.organisations.models import Membership

router = Router(tags=["account"])


class MembershipOut(Schema):
    organisation_id: int
    organisation_bin: str
    organisation_name: str
    role: str
    status: str


class MeOut(Schema):
    id: int
    email: str
    display_name: str
    roles: list[str]
    memberships: list[MembershipOut]


@router.get(
    "/me",
    auth=token_auth,
    response={200: MeOut, 401: Error},
    summary="The owner of the API token",
    description="Send `Authorization: Bearer <token>` with a personal token created on your profile page.",
)
def me(request):
    user = request.auth
    memberships = Membership.objects.filter(user=user).select_related("organisation").order_by("organisation_id")
    return {
        "id": user.pk,
        "email": user.email,
        "display_name": user.display_name,
        "roles": sorted(user.role_codes),
        "memberships": [
            {
                "organisation_id": membership.organisation_id,
                "organisation_bin": membership.organisation.bin,
                "organisation_name": membership.organisation.name,
                "role": membership.role,
                "status": membership.status,
            }
            for membership in memberships
        ],
    }
