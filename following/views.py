"""Follow a case or a person by e-mail: ask, confirm from the mail, unsubscribe in one click."""

from django.shortcuts import get_object_or_404, render
from django.urls import reverse
from django.views.decorators.csrf import csrf_exempt
from django.views.decorators.http import require_http_methods

from cases.models import Case
from core.visibility import Visibility
from defendants.models import Defendant
from following import services
from following.forms import FollowForm
from following.models import Follow


@require_http_methods(["GET", "POST"])
def follow_case(request, pk):
    case = get_object_or_404(Case.objects.visible_to(Visibility.PUBLIC), pk=pk)
    return follow_page(request, case)


@require_http_methods(["GET", "POST"])
def follow_person(request, pk):
    person = get_object_or_404(Defendant.objects.visible_to(Visibility.PUBLIC), pk=pk)
    return follow_page(request, person)


def follow_page(request, subject):
    form = FollowForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        services.ask_to_follow(subject, form.cleaned_data["email"], request.LANGUAGE_CODE)
        # The same answer whether the address is new, waiting or already following.
        return render(request, "following/asked.html", page(subject))
    status = 400 if request.method == "POST" else 200
    return render(request, "following/follow.html", {**page(subject), "form": form}, status=status)


@require_http_methods(["GET", "POST"])
def confirm(request, token):
    follow = services.pending_follow(token)
    if follow is None or not is_public(follow):
        return render(request, "following/link_invalid.html", status=404)
    if request.method == "POST":
        services.confirm(follow)
        return render(request, "following/confirmed.html", page(follow.subject))
    # A link scanner that opens the mail's link confirms nothing: the reader presses a button.
    return render(request, "following/confirm.html", {"subject": follow.subject})


@csrf_exempt  # the signed token is the credential; mail programs post one-click without a form
@require_http_methods(["GET", "POST"])
def unsubscribe(request, token):
    follow = services.current_follow(token)
    if request.method == "POST":
        if follow is not None:
            services.unsubscribe(follow)
        return render(request, "following/unsubscribed.html")
    if follow is None:
        return render(request, "following/unsubscribed.html")
    subject = follow.subject if is_public(follow) else None
    return render(request, "following/unsubscribe.html", {"subject": subject})


def page(subject):
    name = "case-detail" if isinstance(subject, Case) else "defendant-detail"
    return {"subject": subject, "subject_url": reverse(name, args=[subject.pk])}


def is_public(follow):
    return Follow.objects.filter(pk=follow.pk).of_public_subjects().exists()
