"""The editorial desk: every page and action of the people who write, review and edit, under
/editorial/ (cms.urls)."""
from django.urls import path

from .views import checks, corrections, editorial, images, preferences, review, team

app_name = "desk"

urlpatterns = [
    path("", review.dashboard, name="dashboard"),
    path("notifications/", preferences.notification_preferences, name="notifications"),
    path("gate/", editorial.gate_check, name="gate"),
    path("checks/", checks.checks_handbook, name="checks"),
    path("images/upload/", images.image_upload, name="image_upload"),
    path("articles/new/", editorial.article_new, name="new"),
    path("articles/<int:pk>/", review.article_workspace, name="article"),
    path("articles/<int:pk>/edit/", editorial.article_edit, name="edit"),
    path("articles/<int:pk>/history/", editorial.article_history_view, name="history"),
    path("articles/<int:pk>/compare/", editorial.article_compare, name="compare"),
    path("articles/<int:pk>/revert/<int:revision_id>/", editorial.article_revert_view, name="revert"),
    path("articles/<int:pk>/preview/", editorial.article_preview, name="preview"),
    path("articles/<int:pk>/corrections/", corrections.correction_new, name="correction_new"),
    path("corrections/<int:correction_id>/approve/", corrections.correction_approve_view, name="correction_approve"),
    path("corrections/<int:correction_id>/withdraw/", corrections.correction_withdraw_view,
         name="correction_withdraw"),
    path("articles/<int:pk>/findings/waive/", checks.finding_waive_view, name="waive_finding"),
    path("articles/<int:pk>/submit/", review.submit, name="submit"),
    path("articles/<int:pk>/withdraw/", review.withdraw, name="withdraw"),
    path("articles/<int:pk>/unpublish/", review.unpublish, name="unpublish"),
    path("articles/<int:pk>/unschedule/", review.unschedule, name="unschedule"),
    path("articles/<int:pk>/review/", review.review, name="review"),
    path("articles/<int:pk>/comments/", review.comment_new, name="comment_new"),
    path("comments/<int:comment_id>/reply/", review.comment_reply_view, name="comment_reply"),
    path("comments/<int:comment_id>/answer/", review.comment_answer_view, name="comment_answer"),
    path("comments/<int:comment_id>/resolve/", review.resolve_comment, name="resolve_comment"),
    path("team/", team.team, name="team"),
    path("team/invite/", team.team_invite, name="team_invite"),
    path("team/<int:pk>/", team.team_person, name="team_person"),
    path("team/<int:pk>/roles/", team.team_roles, name="team_roles"),
    path("team/<int:pk>/profile/", team.team_profile, name="team_profile"),
    path("team/<int:pk>/access/", team.team_access, name="team_access"),
    path("team/<int:pk>/password-link/", team.team_password_link, name="team_password_link"),
    # The mailed link (an invitation, or a new password): Django's password-reset machinery.
    path("team/welcome/<uidb64>/<token>/", team.WelcomeView.as_view(), name="team_welcome"),
]
