from django.urls import path

from kelisim.publications import feeds, views

app_name = "publications"

urlpatterns = [
    path("", views.article_list, name="list"),
    path("feed/rss/", feeds.LatestArticlesFeed(), name="rss"),
    path("feed/atom/", feeds.LatestArticlesAtomFeed(), name="atom"),
    path("sitemap.xml", views.sitemap, name="sitemap"),
    path("manage/", views.manage, name="manage"),
    path("manage/new/", views.create, name="create"),
    path("manage/<int:pk>/", views.edit, name="edit"),
    path("manage/<int:pk>/status/", views.change_status, name="status"),
    path("<str:slug>/", views.article_detail, name="detail"),
    path("<str:slug>/cover/", views.cover, name="cover"),
    path("<str:slug>/react/", views.react, name="react"),
]
