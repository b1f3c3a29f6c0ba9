"""Accounts: login with a second factor, and setting two factors up. The rules are in
reviews.accounts; these views only ask and show."""
from base64 import b32encode

import segno
from django.contrib import messages
from django.contrib.auth import views as auth_views
from django.contrib.auth.decorators import login_required
from django.core.exceptions import ValidationError
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.safestring import mark_safe
from django.views.decorators.cache import never_cache
from django_otp import login as otp_login

from reviews.accounts import (app_setup_confirm, app_setup_pending, app_setup_start, has_second_factor,
                              recovery_codes_left, recovery_codes_renew, second_factor_remove,
                              second_factor_required)

from ..forms.account import AppConfirmForm, LoginForm


class LoginView(auth_views.LoginView):
    form_class = LoginForm

    def form_valid(self, form):
        response = super().form_valid(form)
        if form.otp_device is not None:
            otp_login(self.request, form.otp_device)
        return response


def _qr_svg(device) -> str:
    # Inline SVG: no image request, nothing for a Content-Security-Policy to allow.
    return segno.make(device.config_url, error="m").svg_inline(scale=4, title="Scan with your authenticator app")


@never_cache
@login_required
def two_factor(request):
    """Set up, renew or (when allowed) turn off two-factor login."""
    user = request.user
    confirm_form = AppConfirmForm()
    new_codes = None
    if request.method == "POST":
        step = request.POST.get("step")
        try:
            if step == "start":
                app_setup_start(user)
            elif step == "confirm":
                confirm_form = AppConfirmForm(request.POST)
                if confirm_form.is_valid():
                    new_codes = app_setup_confirm(user, confirm_form.cleaned_data["token"])
                    otp_login(request, user.totpdevice_set.filter(confirmed=True).first())
                    messages.success(request, "Two-factor login is on. Keep your recovery codes somewhere safe.")
            elif step == "codes":
                new_codes = recovery_codes_renew(user)
                messages.success(request, "New recovery codes: the old ones no longer work.")
            elif step == "remove":
                second_factor_remove(user)
                messages.success(request, "Two-factor login is off.")
                return redirect(reverse("two_factor"))
        except ValidationError as error:
            if hasattr(error, "error_dict") and "token" in error.error_dict:
                confirm_form.add_error("token", error.error_dict["token"][0].messages[0])
            else:
                messages.error(request, " ".join(error.messages))
    pending = app_setup_pending(user)
    return render(request, "registration/two_factor.html", {
        "enrolled": has_second_factor(user), "required": second_factor_required(user),
        "verified": user.is_verified(), "pending": pending,
        "qr": mark_safe(_qr_svg(pending)) if pending else "",
        "secret": b32encode(pending.bin_key).decode() if pending else "", "confirm_form": confirm_form,
        "new_codes": new_codes, "codes_left": recovery_codes_left(user),
    })
