from django.contrib.auth.decorators import login_required
from django.http import Http404
from django.shortcuts import render

from kelisim.accounts.decorators import officer_required
from kelisim.accounts.permissions import is_officer
from kelisim.worklists import selectors, translations


@login_required
def home(request):
    work = selectors.work_for(request.user)
    return render(
        request,
        "worklists/home.html",
        {
            "work": work,
            "waiting": sum(item.count for item in work),
            "has_roles": bool(work),
            "is_officer": is_officer(request.user),
        },
    )


@login_required
def queue(request, key: str):
    found = selectors.queue_page(request.user, key, request.GET.get("page"))
    if found is None:
        raise Http404
    queue, page, rows = found
    return render(
        request,
        "worklists/queue.html",
        {"queue": queue, "label": queue.label(page.paginator.count), "page_obj": page, "rows": rows},
    )


@officer_required
def missing_translations(request):
    report = translations.missing_translations()
    return render(
        request,
        "worklists/translations.html",
        {"report": report, "total": sum(kind["count"] for kind in report), "listed": translations.LISTED},
    )
