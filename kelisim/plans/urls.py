from django.urls import path

from kelisim.plans.views import editing, exports, public, traces

app_name = "plans"

urlpatterns = [
    path("", public.index, name="index"),
    path("versions/", public.versions, name="versions"),
    path("versions/new/", editing.start_version, name="start_version"),
    path("adopt/", editing.adopt, name="adopt"),
    path("compare/", public.compare, name="compare"),
    path("incorporate/<int:agenda_item_id>/", editing.incorporate, name="incorporate"),
    path("v<int:number>/", public.version, name="version"),
    path("v<int:number>.csv", exports.export_csv, name="export_csv"),
    path("v<int:number>.json", exports.export_json, name="export_json"),
    path("v<int:number>/publish/", editing.publish, name="publish"),
    path("v<int:number>/objectives/new/", editing.objective_edit, name="objective_add"),
    path("v<int:number>/items/new/", editing.item_edit, name="item_add"),
    path("v<int:number>/items/<str:code>/", editing.item_edit, name="item_edit"),
    path("v<int:number>/items/<str:code>/remove/", editing.item_remove, name="item_remove"),
    path("v<int:number>/items/<str:code>/indicators/new/", editing.indicator_edit, name="indicator_add"),
    path("items/<str:code>/", public.item, name="item"),
    path("trace/items/<str:code>/", traces.trace_item, name="trace_item"),
    path("trace/suggestions/<str:reference>/", traces.trace_suggestion, name="trace_suggestion"),
]
