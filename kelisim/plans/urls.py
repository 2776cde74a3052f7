from django.urls import path

from kelisim.plans import views

app_name = "plans"

urlpatterns = [
    path("", views.index, name="index"),
    path("versions/", views.versions, name="versions"),
    path("versions/new/", views.start_version, name="start_version"),
    path("adopt/", views.adopt, name="adopt"),
    path("compare/", views.compare, name="compare"),
    path("incorporate/<int:agenda_item_id>/", views.incorporate, name="incorporate"),
    path("v<int:number>/", views.version, name="version"),
    path("v<int:number>.csv", views.export_csv, name="export_csv"),
    path("v<int:number>.json", views.export_json, name="export_json"),
    path("v<int:number>/publish/", views.publish, name="publish"),
    path("v<int:number>/objectives/new/", views.objective_edit, name="objective_add"),
    path("v<int:number>/items/new/", views.item_edit, name="item_add"),
    path("v<int:number>/items/<str:code>/", views.item_edit, name="item_edit"),
    path("v<int:number>/items/<str:code>/remove/", views.item_remove, name="item_remove"),
    path("v<int:number>/items/<str:code>/indicators/new/", views.indicator_edit, name="indicator_add"),
    path("items/<str:code>/", views.item, name="item"),
    path("trace/items/<str:code>/", views.trace_item, name="trace_item"),
    path("trace/suggestions/<str:reference>/", views.trace_suggestion, name="trace_suggestion"),
]
