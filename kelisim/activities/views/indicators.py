from django.contrib import messages
from django.core.exceptions import ValidationError
from django.shortcuts import get_object_or_404, redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_http_methods

from kelisim.accounts.decorators import officer_required
from kelisim.accounts.permissions import is_officer
from kelisim.activities import selectors, services
from kelisim.activities.forms import IndicatorSourceForm, ManualValueForm
from kelisim.core.files import file_response
from kelisim.core.forms import apply_validation_error
from kelisim.core.pagecache import public_page


@require_GET
@public_page("activities", "plans", "core")
def indicators(request):
    items = [{"item": item, "indicators": rows} for item, rows in selectors.public_plan_indicators()]
    return render(request, "activities/indicators.html", {"items": items, "is_officer": is_officer(request.user)})


def _saved(request, indicator, message):
    messages.success(request, message)
    return redirect("activities:indicator_edit", pk=indicator.pk)


@officer_required
@require_http_methods(["GET", "POST"])
def indicator_edit(request, pk):
    from kelisim.plans.models import Indicator

    indicator = get_object_or_404(Indicator.objects.select_related("item__tracked"), pk=pk)
    source = getattr(indicator, "activity_source", None)
    setting_rule, adding_value = "set_rule" in request.POST, "add_value" in request.POST
    rule_form = IndicatorSourceForm(
        request.POST if setting_rule else None, initial={"rule": source.rule if source else ""}
    )
    value_form = ManualValueForm(request.POST if adding_value else None, request.FILES if adding_value else None)
    if request.method == "POST":
        if setting_rule and rule_form.is_valid():
            services.set_indicator_source(actor=request.user, indicator=indicator, rule=rule_form.cleaned_data["rule"])
            return _saved(request, indicator, _("The rule was saved."))
        if adding_value and value_form.is_valid():
            try:
                services.add_manual_value(actor=request.user, indicator=indicator, **value_form.cleaned_data)
            except ValidationError as error:
                apply_validation_error(value_form, error)
            else:
                return _saved(request, indicator, _("The value was added."))
    return render(
        request,
        "activities/indicator_edit.html",
        {
            "indicator": indicator,
            "rule_form": rule_form,
            "value_form": value_form,
            "values": selectors.indicator_values(indicator),
            "manual_values": indicator.manual_values.select_related("region", "entered_by"),
        },
    )


@officer_required
@require_GET
def evidence_file(request, pk):
    """The file given as evidence for a value entered by hand (officers enter and read them)."""
    from kelisim.activities.models import ManualIndicatorValue

    entry = get_object_or_404(ManualIndicatorValue, pk=pk)
    return file_response(entry.evidence_file, original_name=entry.evidence_file_name, fallback="evidence")
