"""The editor's image upload: check, clean and store, then answer TinyMCE with the image's address."""
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.http import JsonResponse
from django.views.decorators.http import require_POST

from articles.errors import NotAllowed
from articles.figures import picture
from articles.images import check_uploads
from reviews.editing import image_add
from reviews.permissions import article_for_view, may_create, role_refusal
from reviews.states import Action


@login_required
@require_POST
def image_upload(request):
    """POST one or more files as "file" (?article=PK when the article exists).

    Answers {"location", "id", "key", "width", "height"} for TinyMCE's images_upload_handler
    (for several files, the first, with all of them under "images"), or 400 with {"error"} naming
    every refused file. Nothing is stored unless every file passes.
    """
    article = None
    if request.GET.get("article"):
        if not request.GET["article"].isdigit():
            return JsonResponse({"error": "No such article."}, status=404)
        article = article_for_view(request.user, int(request.GET["article"]))
        refusal = role_refusal(request.user, article, Action.EDIT)
        if refusal:
            raise PermissionDenied(refusal)
    elif not may_create(request.user):
        raise PermissionDenied("Only writers and editors can upload images.")
    uploads = request.FILES.getlist("file")
    if not uploads:
        return JsonResponse({"error": "Choose an image file to upload."}, status=400)
    errors = check_uploads(uploads)
    if errors:
        return JsonResponse({"error": " ".join(errors), "errors": errors}, status=400)
    alt_text = request.POST.get("alt", "")[:300]
    stored = []
    try:
        for upload in uploads:
            image = image_add(upload=upload, by=request.user, article=article, alt_text=alt_text)
            shown = picture(image, image.alt_text)
            stored.append({"location": shown["src"], "id": image.pk, "key": image.key,
                           "width": shown["width"], "height": shown["height"]})
    except NotAllowed as exc:
        raise PermissionDenied(str(exc)) from exc
    except ValidationError as exc:
        return JsonResponse({"error": " ".join(exc.messages), "errors": exc.messages}, status=400)
    return JsonResponse({**stored[0], "images": stored}, status=201)
