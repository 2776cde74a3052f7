from django.contrib import admin

from kelisim.publications.models import Tag


@admin.register(Tag)
class TagAdmin(admin.ModelAdmin):
    """Tags are reference data; articles are edited in the newsroom pages (publications:manage)."""

    list_display = ["slug", "name_kk", "name_ru", "name_en"]
    search_fields = ["slug", "name_kk", "name_ru", "name_en"]
