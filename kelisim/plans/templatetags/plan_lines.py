"""The plan's item lists written in Python: the plan page's compact lines and the printable version's full rows.
300 items through the template engine cost most of those pages' first rendering (issue 13)."""

from django import template
from django.utils.formats import localize
from django.utils.html import conditional_escape, format_html
from django.utils.safestring import mark_safe
from django.utils.translation import gettext

from kelisim.core.templatetags.formats import day
from kelisim.core.templatetags.kelisim import localized

register = template.Library()


@register.simple_tag
def plan_lines(items) -> str:
    """``<ul class="plan-lines">`` of the items (each with ``number``, ``url`` and ``status_label``, as
    ``selectors.with_labels`` gives them): number, code, the text's first 140 characters, status and progress."""
    follows = format_html(' <span class="muted progress-source">({})</span>', gettext("progress follows indicators"))
    lines = []
    for item in items:
        tracked = item.tracked
        lines.append(
            format_html(
                '<li class="plan-line" id="{code}"><span class="plan-number">{number}</span> <a href="{url}" '
                'class="plan-code">{code}</a> {text} <span class="badge status-{status}">{label}</span> '
                "{progress} %{follows}</li>",
                code=tracked.code,
                number=item.number,
                url=item.url,
                text=localized(item, "text", truncate=140),
                status=tracked.status,
                label=item.status_label,
                progress=tracked.progress,
                follows=follows if tracked.follows_indicators else "",
            )
        )
    # Each line was built by format_html, which escaped every value in it.
    return mark_safe('<ul class="plan-lines">' + "".join(lines) + "</ul>")


def _shown(value) -> str:
    """A value as ``{{ value }}`` shows it: localised if it is a number, escaped."""
    return conditional_escape(localize(value))


def _facts(item) -> list[str]:
    """The facts list's optional lines (each line of the template is kept, empty or not)."""
    partners = item.partners.all()
    regions = item.regions.all()
    return [
        format_html(
            "<dt>{}</dt><dd>{}</dd>",
            gettext("Partners"),
            mark_safe(
                ",\n      ".join(
                    format_html('<a\n      href="{}">{}</a>', partner.get_absolute_url(), partner.name)
                    for partner in partners
                )
            ),
        )
        if partners
        else "",
        format_html(
            "<dt>{}</dt><dd>{}</dd>", gettext("Regions"), mark_safe(", ".join(_shown(region) for region in regions))
        )
        if regions
        else "",
        format_html("<dt>{}</dt><dd>{}</dd>", gettext("Deadline"), _shown(day(item.deadline))) if item.deadline else "",
        format_html("<dt>{}</dt><dd>{}</dd>", gettext("Form of completion"), _shown(item.completion_form))
        if item.completion_form
        else "",
        format_html(
            "<dt>{}</dt><dd>{} ₸{}</dd>",
            gettext("Budget"),
            _shown(item.budget_kzt),
            format_html(" ({})", _shown(item.budget_source)) if item.budget_source else "",
        )
        if item.budget_kzt is not None
        else "",
        "",  # the status line: not in a version's rows
    ]


def _indicators(item) -> str:
    indicators = item.indicators.all()
    if not indicators:
        return ""
    rows = []
    for indicator in indicators:
        targets = ";\n      ".join(
            format_html(
                "{}{}: {}",
                _shown(target.year),
                format_html(" ({})", _shown(target.region.name)) if target.region else "",
                _shown(target.value.normalize()),
            )
            for target in indicator.targets.all()
        )
        rows.append(
            format_html(
                "<tr><td>{}</td><td>{}</td>\n      <td>{}</td>\n      <td>{}</td></tr>",
                localized(indicator, "name"),
                localized(indicator, "unit"),
                _shown("—" if indicator.baseline is None else indicator.baseline),
                mark_safe(targets),
            )
        )
    return format_html(
        '<div class="table-wrap" tabindex="0"><table class="indicators"><caption>{}</caption>\n'
        '    <thead><tr><th scope="col">{}</th><th scope="col">{}</th><th\n'
        '      scope="col">{}</th><th scope="col">{}</th></tr></thead>\n'
        "    <tbody>{}</tbody></table></div>",
        gettext("Indicators"),
        gettext("Indicator"),
        gettext("Unit"),
        gettext("Baseline"),
        gettext("Targets"),
        mark_safe("".join(rows)),
    )


@register.simple_tag
def plan_items(items) -> str:
    """The items' full rows as ``plans/includes/item_row.html`` writes them for a version that is not being edited
    and shows no progress (the printable version: 300 rows through the template engine cost most of its
    rendering). The same bytes; the template stays the one for an item's page and a version being edited."""
    rows = []
    for item in items:
        code = item.tracked.code
        facts = "\n    ".join(_facts(item))
        rows.append(
            format_html(
                '<article class="plan-item card" id="{code}">\n'
                '  <h4><span class="plan-number">{number}</span> <a href="{url}" class="plan-code">{code}</a></h4>\n'
                "  <p>{text}</p>\n"
                '  <dl class="facts">\n'
                "    <dt>{responsible}</dt><dd>{body}</dd>\n"
                "    {facts}\n"
                "  </dl>\n"
                "  {indicators}\n"
                "  \n"
                "</article>\n",
                code=code,
                number=_shown(item.number),
                url=item.url,
                text=localized(item, "text"),
                responsible=gettext("Responsible body"),
                body=_shown(item.responsible_body),
                facts=mark_safe(facts),
                indicators=_indicators(item),
            )
        )
    # Every piece was built by format_html or _shown, which escaped each value in it.
    return mark_safe("".join(rows))
