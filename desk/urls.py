"""The editorial desk: every page and action of the people who write, review and edit, under
/editorial/ (cms.urls)."""
from django.urls import path

from .views import checks, corrections, editorial, images, inbox, preferences, review, team

from .views import calendar as calendar_views
from .views import desk_lists, editing_safety
from .views import imports as import_views
from .views import feedback as feedback_views

app_name = "desk"

urlpatterns = [
    path("", review.dashboard, name="dashboard"),
    path("notifications/", preferences.notification_preferences, name="notifications"),
    path("inbox/", inbox.inbox, name="inbox"),
    path("inbox/read-all/", inbox.inbox_read_all, name="inbox_read_all"),
    path("inbox/<int:message_id>/", inbox.inbox_open, name="inbox_open"),
    path("inbox/<int:message_id>/read/", inbox.inbox_read, name="inbox_read"),
    path("gate/", editorial.gate_check, name="gate"),
    path("checks/", checks.checks_handbook, name="checks"),
    path("feedback/", feedback_views.feedback_queue, name="feedback"),
    path("feedback/<int:pk>/dismiss/", feedback_views.feedback_dismiss_view, name="feedback_dismiss"),
    path("feedback/<int:pk>/note/", feedback_views.feedback_note_view, name="feedback_note"),
    path("feedback/<int:pk>/re-review/", feedback_views.feedback_re_review_view, name="feedback_re_review"),
    path("calendar/", calendar_views.calendar, name="calendar"),
    path("calendar/feed/new/", calendar_views.calendar_feed_issue, name="calendar_feed_issue"),
    path("calendar/feed/reset/", calendar_views.calendar_feed_reset, name="calendar_feed_reset"),
    # No login: the random token is the key (reviews.calendar_feed); slug matches its alphabet.
    path("calendar/feed/<slug:token>.ics", calendar_views.calendar_feed, name="calendar_feed"),
    path("images/upload/", images.image_upload, name="image_upload"),
    path("articles/new/", editorial.article_new, name="new"),
    # Import on the desk: upload, preview (its POST makes the drafts), result; the batch token is hex.
    path("import/", import_views.import_upload, name="import"),
    path("import/<slug:batch>/", import_views.import_preview, name="import_preview"),
    path("import/<slug:batch>/result/", import_views.import_result, name="import_result"),
    path("articles/<int:pk>/", review.article_workspace, name="article"),
    path("articles/<int:pk>/edit/", editorial.article_edit, name="edit"),
    # Editing safety: the editor's private autosave, its discard, presence, and the merge view.
    path("articles/new/draft/", editing_safety.autosave_new, name="autosave_new"),
    path("articles/new/draft/discard/", editing_safety.discard_new_draft, name="discard_new_draft"),
    path("articles/<int:pk>/draft/", editing_safety.autosave, name="autosave"),
    path("articles/<int:pk>/draft/discard/", editing_safety.discard_draft, name="discard_draft"),
    path("articles/<int:pk>/presence/", editing_safety.presence, name="presence"),
    path("articles/<int:pk>/merge/", editing_safety.article_merge, name="merge"),
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
    # Review assignments and due dates (reviews.assignments), and actions on many articles at once.
    path("articles/<int:pk>/assignment/", desk_lists.assignment, name="assignment"),
    path("articles/<int:pk>/assignment/claim/", desk_lists.assignment_claim_view, name="assignment_claim"),
    path("articles/<int:pk>/assignment/assign/", desk_lists.assignment_assign_view, name="assignment_assign"),
    path("articles/<int:pk>/assignment/due/", desk_lists.assignment_due_view, name="assignment_due"),
    path("articles/bulk/", desk_lists.bulk_action, name="bulk"),
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
