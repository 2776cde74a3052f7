from django.shortcuts import get_object_or_404, render

from kelisim.organisations.models import Expert, Organisation


def organisation_list(request):
    organisations = Organisation.objects.select_related("region")[:50]
    return render(request, "organisations/list.html", {"organisations": organisations})


def organisation_detail(request, pk):
    organisation = get_object_or_404(Organisation.objects.select_related("region"), pk=pk)
    return render(request, "organisations/detail.html", {"organisation": organisation})


def expert_detail(request, pk):
    expert = get_object_or_404(Expert, pk=pk, is_listed=True)
    return render(request, "organisations/expert_detail.html", {"expert": expert})
