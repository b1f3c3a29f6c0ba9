from django.contrib import admin

from articles.admin import ReadOnlyAdmin

from .models import CommentReply, Review, ReviewComment, ReviewerProfile


@admin.register(ReviewerProfile)
class ReviewerProfileAdmin(admin.ModelAdmin):
    list_display = ["user", "credentials", "specialty", "registration_number"]
    search_fields = ["user__username", "user__first_name", "user__last_name", "credentials"]


@admin.register(Review)
class ReviewAdmin(ReadOnlyAdmin):
    list_display = ["article", "reviewer", "decision", "rating", "created_at"]
    list_filter = ["decision"]


@admin.register(ReviewComment)
class ReviewCommentAdmin(ReadOnlyAdmin):
    list_display = ["article", "section", "author", "created_at", "answered_at", "resolved_at"]


@admin.register(CommentReply)
class CommentReplyAdmin(ReadOnlyAdmin):
    list_display = ["comment", "author", "created_at"]
