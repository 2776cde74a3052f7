"""Officers' pages of the email intake: the messages that need attention, and the files that came by email."""

from django.contrib import messages
from django.core.paginator import Paginator
from django.http import Http404
from django.shortcuts import get_object_or_404, redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from kelisim.accounts.decorators import officer_required
from kelisim.consultations.models import EmailAttachment, InboundEmail
from kelisim.consultations.services.intake import resolve_inbound_email
from kelisim.core.files import file_response


@officer_required
def email_intake(request):
    """Messages the intake could not turn into a suggestion, with the reason logged for each (the message
    itself waits in the mailbox's "needs attention" folder); then what was read lately, for the record."""
    show = request.GET.get("show", "attention")
    emails = InboundEmail.objects.select_related("suggestion", "version__document", "resolved_by")
    if show == "attention":
        emails = emails.filter(outcome=InboundEmail.Outcome.ATTENTION, resolved_at__isnull=True)
    elif show in InboundEmail.Outcome.values:
        emails = emails.filter(outcome=show)
    page = Paginator(emails.order_by("-received_at", "-pk"), 50).get_page(request.GET.get("page"))
    return render(
        request,
        "consultations/email_intake.html",
        {"page": page, "show": show, "outcomes": InboundEmail.Outcome.choices},
    )


@officer_required
@require_POST
def resolve_email(request, pk):
    email = get_object_or_404(InboundEmail, pk=pk)
    resolve_inbound_email(actor=request.user, email=email)
    messages.success(request, _("The message is marked as dealt with."))
    return redirect("consultations:email_intake")


@officer_required
def email_attachment(request, reference, pk):
    """A file that came with an email, for officers only (it may show a name and an address)."""
    attachment = get_object_or_404(EmailAttachment, pk=pk, suggestion__reference=reference)
    if not attachment.file:
        raise Http404
    return file_response(attachment.file, original_name=attachment.original_name, fallback="attachment")
