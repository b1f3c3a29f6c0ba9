"""The public site: every page a reader (or a crawler) can reach without logging in."""
from django.urls import path

from . import feedback, people, sitemaps, views

app_name = "public"

urlpatterns = [
    path("", views.home, name="home"),
    path("articles/<slug:slug>/", views.article_detail, name="detail"),
    path("articles/<slug:slug>/feedback/", feedback.feedback_new, name="feedback"),
    path("articles/<slug:slug>/feedback/thanks/", feedback.feedback_thanks, name="feedback_thanks"),
    path("topics/<slug:slug>/", views.topic_detail, name="topic"),
    path("search/", views.search, name="search"),
    path("feed/", views.feed, name="feed"),
    # A username may hold characters a slug may not (@ . +), hence str, not slug.
    path("people/<str:slug>/", people.person_detail, name="person"),
    # The sitemap index (named by robots.txt) and its children, at most SITEMAP_PAGE_SIZE URLs each.
    path("sitemap.xml", sitemaps.sitemap, name="sitemap"),
    path("sitemap-articles-<int:page>.xml", sitemaps.articles, name="sitemap-articles"),
    path("sitemap-topics.xml", sitemaps.topics, name="sitemap-topics"),
    path("sitemap-topics-<int:page>.xml", sitemaps.topics, name="sitemap-topics-page"),
    path("sitemap-people.xml", sitemaps.people, name="sitemap-people"),
    path("sitemap-people-<int:page>.xml", sitemaps.people, name="sitemap-people-page"),
    path("robots.txt", views.robots_txt, name="robots"),
]
