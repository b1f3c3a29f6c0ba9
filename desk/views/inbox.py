"""The inbox on the desk: a person's notifications, newest first; opening a line marks it read and
goes to its page. Reads and writes are reviews.inbox's; each works on the person's own lines only."""
from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.paginator import Paginator
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils import timezone
from django.utils.http import url_has_allowed_host_and_scheme
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_POST

from reviews.inbox import inbox_counts, inbox_mark_all_read, inbox_message_mark_read, inbox_messages

from ..context_processors import InboxBadge
from ..forms.inbox import InboxFilterForm, MarkAllReadForm

PAGE_SIZE = 25


@never_cache
@login_required
def inbox(request):
    filter_form = InboxFilterForm(request.GET or None)
    unread_only = filter_form.unread_only()
    total, unread = inbox_counts(request.user)
    paginator = Paginator(inbox_messages(request.user, unread_only=unread_only), PAGE_SIZE)
    paginator.count = unread if unread_only else total  # counted already, with the header's number
    page = paginator.get_page(request.GET.get("page"))
    return render(request, "desk/inbox.html", {
        "page": page, "unread_only": unread_only, "unread": unread, "inbox": InboxBadge(request, unread),
        "mark_all_form": MarkAllReadForm(initial={"shown_at": timezone.now()}),
    })


@never_cache
@login_required
def inbox_open(request, message_id):
    """Mark the line read and go to its page. A line leads only to a page of this site: a path
    that would leave it (which the database refuses anyway) leads back to the inbox instead."""
    message = inbox_message_mark_read(message_id=message_id, by=request.user)
    if _on_this_site(request, message.path):
        return redirect(message.path)
    messages.error(request, "That message does not link to a page of this site; it is marked read.")
    return redirect("desk:inbox")


@login_required
@require_POST
def inbox_read(request, message_id):
    inbox_message_mark_read(message_id=message_id, by=request.user)
    return _back(request)


@login_required
@require_POST
def inbox_read_all(request):
    form = MarkAllReadForm(request.POST)
    shown_at = form.cleaned_data["shown_at"] if form.is_valid() else None
    count = inbox_mark_all_read(by=request.user, shown_at=shown_at)
    messages.success(request, f"Marked {count} message{'' if count == 1 else 's'} read.")
    return _back(request)


def _on_this_site(request, path: str) -> bool:
    return path.startswith("/") and url_has_allowed_host_and_scheme(
        path, allowed_hosts={request.get_host()}, require_https=request.is_secure())


def _back(request):
    """To the inbox page the button was on (its filter and page number), or the inbox."""
    target = request.POST.get("next", "")
    if target.startswith(reverse("desk:inbox")) and _on_this_site(request, target):
        return redirect(target)
    return redirect("desk:inbox")
