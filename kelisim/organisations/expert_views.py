from django.shortcuts import get_object_or_404, render

from kelisim.organisations.models import Expert


def expert_detail(request, pk):
    expert = get_object_or_404(Expert, pk=pk, is_listed=True)
    return render(request, "organisations/expert_detail.html", {"expert": expert})
