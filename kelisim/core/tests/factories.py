import factory

from kelisim.core.models import Region, Strand


def reference_data_factory(model, *, key: str, key_prefix: str, names: tuple[str, str, str]):
    """A factory for reference data: a unique ``key`` ("<key_prefix>-n", created once per key) and a name in
    each language ("<English> n", "<Russian> n", "<Kazakh> n")."""
    english, russian, kazakh = names
    meta = type("Meta", (), {"model": model, "django_get_or_create": (key,)})
    return type(
        f"{model.__name__}Factory",
        (factory.django.DjangoModelFactory,),
        {
            "Meta": meta,
            key: factory.Sequence(lambda n: f"{key_prefix}-{n}"),
            "name_en": factory.Sequence(lambda n: f"{english} {n}"),
            "name_ru": factory.Sequence(lambda n: f"{russian} {n}"),
            "name_kk": factory.Sequence(lambda n: f"{kazakh} {n}"),
        },
    )


StrandFactory = reference_data_factory(
    Strand, key="code", key_prefix="strand", names=("Strand", "Направление", "Бағыт")
)


def region(code: str = "KZ-71") -> Region:
    """Regions are reference data loaded by a migration; tests pick one by code."""
    return Region.objects.get(code=code)
