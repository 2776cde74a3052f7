from django.contrib.auth.decorators import login_required
from django.http import Http404
from django.shortcuts import render

from kelisim.worklists import selectors


@login_required
def home(request):
    work = selectors.work_for(request.user)
    return render(
        request,
        "worklists/home.html",
        {"work": work, "waiting": sum(item.count for item in work), "has_roles": bool(work)},
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
