from django.urls import path

from .views import checks, corrections, editorial, images

app_name = "articles"

urlpatterns = [
    path("editorial/articles/new/", editorial.article_new, name="new"),
    path("editorial/gate/", editorial.gate_check, name="gate"),
    path("editorial/images/upload/", images.image_upload, name="image_upload"),
    path("editorial/articles/<int:pk>/edit/", editorial.article_edit, name="edit"),
    path("editorial/articles/<int:pk>/history/", editorial.article_history_view, name="history"),
    path("editorial/articles/<int:pk>/compare/", editorial.article_compare, name="compare"),
    path("editorial/articles/<int:pk>/revert/<int:revision_id>/", editorial.article_revert_view, name="revert"),
    path("editorial/articles/<int:pk>/preview/", editorial.article_preview, name="preview"),
    path("editorial/articles/<int:pk>/corrections/", corrections.correction_new, name="correction_new"),
    path("editorial/articles/<int:pk>/findings/waive/", checks.finding_waive_view, name="waive_finding"),
]
