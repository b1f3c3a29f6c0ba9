from django.conf import settings
from django.conf.urls.static import static
from django.contrib import admin
from django.contrib.auth import views as auth_views
from django.http import Http404
from django.urls import include, path, reverse_lazy
from django.views.generic import RedirectView

from desk.views import account

from . import views

def _not_found(request, **kwargs):
    raise Http404("No such page.")


urlpatterns = [
    path("healthz", views.healthz, name="healthz"),
    # The back office logs in through the site's own login, so the second factor cannot be skipped.
    path("admin/login/", RedirectView.as_view(url=reverse_lazy("login"), query_string=True)),
    # The admin's "view on site" shortcut asks no per-object permission (it would reveal the
    # address of an article the person may not see): the desk and the public site are the way.
    path("admin/r/<int:content_type_id>/<path:object_id>/", _not_found),
    path("admin/", admin.site.urls),
    path("accounts/login/", account.LoginView.as_view(), name="login"),
    path("accounts/logout/", auth_views.LogoutView.as_view(), name="logout"),
    path("accounts/two-factor/", account.two_factor, name="two_factor"),
    # Password reset by email, with Django's own views (templates/registration/).
    path("accounts/password-reset/", auth_views.PasswordResetView.as_view(), name="password_reset"),
    path("accounts/password-reset/sent/", auth_views.PasswordResetDoneView.as_view(), name="password_reset_done"),
    path("accounts/reset/<uidb64>/<token>/", auth_views.PasswordResetConfirmView.as_view(),
         name="password_reset_confirm"),
    path("accounts/reset/done/", auth_views.PasswordResetCompleteView.as_view(), name="password_reset_complete"),
    path("editorial/", include("desk.urls")),
    path("", include("public.urls")),
]

# Uploaded images, in development only (static() adds nothing unless DEBUG is on). In production
# the web server or the S3-compatible storage's own address serves them.
urlpatterns += static(settings.MEDIA_URL, document_root=settings.MEDIA_ROOT)
