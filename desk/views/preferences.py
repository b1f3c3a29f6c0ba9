"""A person's own settings on the desk: which kinds of notification they receive (a kind turned off
stops both its inbox line and its email)."""
from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.db import transaction
from django.shortcuts import redirect, render

from ..forms.review import NotificationPreferencesForm
from reviews.models import NotificationOptOut


@login_required
def notification_preferences(request):
    opted_out = set(request.user.notification_opt_outs.values_list("category", flat=True))
    form = NotificationPreferencesForm(request.POST or None, opted_out=opted_out)
    if request.method == "POST" and form.is_valid():
        with transaction.atomic():
            request.user.notification_opt_outs.all().delete()
            NotificationOptOut.objects.bulk_create(
                NotificationOptOut(user=request.user, category=category) for category in form.opted_out())
        messages.success(request, "Notification settings saved.")
        return redirect("desk:notifications")
    return render(request, "desk/notification_preferences.html", {"form": form})
