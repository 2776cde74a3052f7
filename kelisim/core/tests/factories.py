import factory

from kelisim.core.models import Region, Strand


class StrandFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Strand
        django_get_or_create = ("code",)

    code = factory.Sequence(lambda n: f"strand-{n}")
    name_en = factory.Sequence(lambda n: f"Strand {n}")
    name_ru = factory.Sequence(lambda n: f"Направление {n}")
    name_kk = factory.Sequence(lambda n: f"Бағыт {n}")


def region(code: str = "KZ-71") -> Region:
    """Regions are reference data loaded by a migration; tests pick one by code."""
    return Region.objects.get(code=code)
