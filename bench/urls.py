"""The site's URLs plus /bench/baseline/<slug>/: a plain Django DetailView of the same content."""
from django.urls import path
from django.views.generic import DetailView

from articles.selectors import live_publications
from public.views import article_context
from cms.urls import urlpatterns as site_urlpatterns


class BaselineArticleView(DetailView):
    """The article as Django renders it with nothing of ours around it: the same query, template
    and context (so the same HTML), but no ETag, no Last-Modified, no 304 and no Cache-Control."""

    template_name = "public/article_detail.html"
    context_object_name = "publication"

    def get_queryset(self):
        return live_publications()

    def get_context_data(self, **kwargs):
        return article_context(self.request, self.object)


urlpatterns = [
    path("bench/baseline/<slug:slug>/", BaselineArticleView.as_view(), name="bench-baseline"),
    *site_urlpatterns,
]
