from django.shortcuts import get_object_or_404, render

from kelisim.organisations.models import Organisation


def organisation_list(request):
    organisations = Organisation.objects.select_related("region")[:50]
    return render(request, "organisations/list.html", {"organisations": organisations})


def organisation_detail(request, pk):
    organisation = get_object_or_404(Organisation.objects.select_related("region"), pk=pk)
    return render(request, "organisations/detail.html", {"organisation": organisation})
