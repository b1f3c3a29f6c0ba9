from django.urls import path

from . import preferences, views

app_name = "reviews"

urlpatterns = [
    path("", views.dashboard, name="dashboard"),
    path("articles/<int:pk>/", views.article_workspace, name="article"),
    path("articles/<int:pk>/submit/", views.submit, name="submit"),
    path("articles/<int:pk>/withdraw/", views.withdraw, name="withdraw"),
    path("articles/<int:pk>/unpublish/", views.unpublish, name="unpublish"),
    path("articles/<int:pk>/unschedule/", views.unschedule, name="unschedule"),
    path("notifications/", preferences.notification_preferences, name="notifications"),
    path("articles/<int:pk>/review/", views.review, name="review"),
    path("articles/<int:pk>/comments/", views.comment_new, name="comment_new"),
    path("comments/<int:comment_id>/reply/", views.comment_reply_view, name="comment_reply"),
    path("comments/<int:comment_id>/answer/", views.comment_answer_view, name="comment_answer"),
    path("comments/<int:comment_id>/resolve/", views.resolve_comment, name="resolve_comment"),
]
