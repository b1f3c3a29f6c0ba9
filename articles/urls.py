from django.urls import path

from .views import editorial, public

app_name = "articles"

urlpatterns = [
    path("", public.home, name="home"),
    path("articles/<slug:slug>/", public.article_detail, name="detail"),
    path("editorial/articles/new/", editorial.article_new, name="new"),
    path("editorial/gate/", editorial.gate_check, name="gate"),
    path("editorial/articles/<int:pk>/edit/", editorial.article_edit, name="edit"),
    path("editorial/articles/<int:pk>/history/", editorial.article_history_view, name="history"),
    path("editorial/articles/<int:pk>/compare/", editorial.article_compare, name="compare"),
    path("editorial/articles/<int:pk>/revert/<int:revision_id>/", editorial.article_revert_view, name="revert"),
    path("editorial/articles/<int:pk>/preview/", editorial.article_preview, name="preview"),
]
