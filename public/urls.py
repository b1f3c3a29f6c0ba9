"""The public site: every page a reader (or a crawler) can reach without logging in."""
from django.urls import path

from . import people, sitemaps, views

app_name = "public"

urlpatterns = [
    path("", views.home, name="home"),
    path("articles/<slug:slug>/", views.article_detail, name="detail"),
    path("topics/<slug:slug>/", views.topic_detail, name="topic"),
    path("search/", views.search, name="search"),
    path("feed/", views.feed, name="feed"),
    # A username may hold characters a slug may not (@ . +), hence str, not slug.
    path("people/<str:slug>/", people.person_detail, name="person"),
    path("sitemap.xml", sitemaps.sitemap, name="sitemap"),
    path("robots.txt", views.robots_txt, name="robots"),
]
