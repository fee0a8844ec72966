"""Thin views for readers: their account, their saved searches, and the search feeds.

A reader sees and changes only their own saved searches: every lookup is by owner, so
another reader's id is a 404. Forms that change anything are POSTs with CSRF tokens.
"""
from math import ceil

from axes.utils import reset as reset_lockout
from django.conf import settings
from django.contrib import messages
from django.contrib.auth import login, logout
from django.contrib.auth.decorators import login_required
from django.contrib.auth.views import (
    LoginView,
    LogoutView,
    PasswordChangeView,
    PasswordResetConfirmView,
    PasswordResetView,
)
from django.contrib.messages.views import SuccessMessageMixin
from django.http import HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse_lazy
from django.utils.http import url_has_allowed_host_and_scheme
from django.views.decorators.http import require_http_methods, require_POST

from articles.search import UNAVAILABLE, SearchParamError, parse_search_params, query_params

from . import feedkeys, searches, verification
from .feeds import SearchFeed
from .forms import EmailForm, PasswordConfirmedForm, SavedSearchForm, SignUpForm, VerifiedPasswordResetForm
from .models import SavedSearch

login_page = LoginView.as_view(template_name="following/login.html", redirect_authenticated_user=True)
logout_page = LogoutView.as_view()


def locked_out(request, original_response=None, credentials=None):
    """django-axes' answer to a sign-in attempt while locked out (AXES_LOCKOUT_CALLABLE):
    the site's own page, 429 with Retry-After, on the readers' and the admin's login alike."""
    seconds = settings.AXES_COOLOFF_TIME.total_seconds()
    response = render(request, "following/locked_out.html", {
        "failure_limit": settings.AXES_FAILURE_LIMIT, "minutes": ceil(seconds / 60),
    }, status=429)
    response["Retry-After"] = str(ceil(seconds))
    return response


def _next_url(request):
    """The page to return to after signing up, if it is one of ours."""
    url = request.POST.get("next") or request.GET.get("next") or ""
    safe = url_has_allowed_host_and_scheme(url, allowed_hosts={request.get_host()}, require_https=request.is_secure())
    return url if safe else ""


def signup_page(request):
    next_url = _next_url(request)
    if request.user.is_authenticated:
        return redirect(next_url or "following:searches")
    form = SignUpForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        login(request, form.save(), backend="django.contrib.auth.backends.ModelBackend")
        _send_verification_link(request)
        return redirect(next_url or "following:searches")
    return render(request, "following/signup.html", {"form": form, "next": next_url})


SENDING_SAYS = {
    verification.SENT: (messages.SUCCESS, "We sent a link to {email}. Alerts start once you follow it."),
    verification.TOO_SOON: (messages.INFO, "A link went to {email} less than a minute ago: look for it (and in the "
                                           "spam folder), or ask again in a minute."),
    verification.FAILED: (messages.ERROR, "The email to {email} could not be sent just now; ask again in a few minutes."),
}


def _send_verification_link(request):
    level, text = SENDING_SAYS[verification.send_link(request.user)]
    messages.add_message(request, level, text.format(email=request.user.email))


@login_required
def account_page(request):
    """The reader's account: their address (change it, or have its link sent again) and the
    way to their password and to deleting the account."""
    user = request.user
    form = EmailForm(request.POST or None, request=request, initial={"email": user.email})
    if request.method == "POST" and form.is_valid():
        if form.cleaned_data["email"] == user.email and verification.is_verified(user):
            messages.info(request, f"Your address is still {user.email}.")
        else:
            user.email = form.cleaned_data["email"]
            user.save(update_fields=["email"])
            _send_verification_link(request)
        return redirect("following:account")
    return render(request, "following/account.html", {"form": form, "verified": verification.is_verified(user)})


class PasswordChange(SuccessMessageMixin, PasswordChangeView):
    template_name = "following/form.html"
    extra_context = {"title": "Change your password", "button": "Change password"}
    success_url = reverse_lazy("following:account")
    success_message = "Your password is changed."


class PasswordReset(SuccessMessageMixin, PasswordResetView):
    """Mails a reset link, through the configured backend, to a confirmed address only."""

    template_name = "following/form.html"
    extra_context = {"title": "Reset your password", "button": "Send the link",
                     "intro": "Give your account's confirmed email address; we mail it a link to set a new password."}
    form_class = VerifiedPasswordResetForm
    subject_template_name = "following/email/password_reset_subject.txt"
    email_template_name = "following/email/password_reset.txt"
    success_url = reverse_lazy("following:login")
    success_message = "If %(email)s is the confirmed address of an account, a link to set a new password is on its way."

    @property
    def extra_email_context(self):
        return {"site_url": settings.SITE_URL.rstrip("/")}


class PasswordResetConfirm(SuccessMessageMixin, PasswordResetConfirmView):
    template_name = "following/form.html"
    extra_context = {"title": "Set a new password", "button": "Set password",
                     "invalid": "This link has been used or has expired. Ask for a new one below."}
    success_url = reverse_lazy("following:login")
    success_message = "Your new password is set: sign in with it."

    def form_valid(self, form):
        """The mailbox is proved: a lockout of this username ends with the new password."""
        reset_lockout(username=form.user.get_username())
        return super().form_valid(form)


password_change_page = login_required(PasswordChange.as_view())
password_reset_page = PasswordReset.as_view()
password_reset_confirm_page = PasswordResetConfirm.as_view()


@login_required
def delete_account_page(request):
    """POST with the password: the reader, their saved searches, alerts and digests go (feed
    keys are derived from the account, so they stop working). Staff use the admin."""
    form = PasswordConfirmedForm(request.POST or None, request=request)
    context = {"title": "Delete your account", "button": "Delete my account", "danger": True, "form": form,
               "intro": "This deletes your account, your saved searches and their alerts and feeds. It cannot be undone."}
    if request.user.is_staff:
        context.update(form=None, invalid="Staff accounts are removed in the admin, not here.")
    elif request.method == "POST" and form.is_valid():
        user = request.user
        logout(request)
        user.delete()
        return render(request, "following/deleted.html")
    return render(request, "following/form.html", context)


@login_required
@require_POST
def send_verification(request):
    _send_verification_link(request)
    return redirect(_next_url(request) or "following:account")


@require_http_methods(["GET", "POST"])
def verify_email(request, token):
    """GET: what the mailed link verifies, and a button; POST: verify it (a mail scanner that
    follows links verifies nothing). The token is the proof, so no sign-in is needed."""
    try:
        reader = verification.reader_for(token)
    except verification.InvalidLink as exc:
        return render(request, "following/verify_email.html", {"error": str(exc)}, status=400)
    if request.method == "POST":
        verification.confirm(reader)
        messages.success(request, f"{reader.email} is confirmed: alerts will be sent to it.")
        return redirect("following:searches")
    return render(request, "following/verify_email.html", {"reader": reader})


@login_required
def searches_page(request):
    saved = list(request.user.saved_searches.all())
    counts = searches.new_counts(saved)
    counted, counts = counts is not None, counts or {}
    rows = [{
        "search": search,
        "new": counts.get(search.pk),
        "form": SavedSearchForm(instance=search, user=request.user, prefix=f"s{search.pk}"),
        "feed_url": searches.feed_url(search.query, request.user),
    } for search in saved]
    return render(request, "following/searches.html", {
        "rows": rows, "counted": counted, "verified": verification.is_verified(request.user),
    })


@login_required
def save_search_page(request):
    """GET: the form for the search in the query string; POST: save it."""
    query = request.POST.get("query", "") if request.method == "POST" else request.GET.urlencode()
    try:
        params = searches.parse_query(query)
    except SearchParamError as exc:
        return render(request, "following/save_search.html", {"error": str(exc)}, status=400)
    description = searches.describe(params)
    form = SavedSearchForm(request.POST or None, user=request.user, initial={"name": description[:200]})
    if request.method == "POST" and form.is_valid():
        if request.user.saved_searches.count() >= searches.MAX_SAVED_SEARCHES:
            form.add_error(None, f"You can keep at most {searches.MAX_SAVED_SEARCHES} saved searches; delete one first.")
        else:
            saved = searches.save(request.user, params, form.cleaned_data["name"], form.cleaned_data["alert"])
            messages.success(request, f"Saved “{saved.name}”.")
            return redirect("following:searches")
    query = searches.canonical_query(params)
    return render(request, "following/save_search.html", {
        "form": form, "query": query, "description": description,
        "search_url": searches.search_url(query), "feed_url": searches.feed_url(query, request.user),
    })


@login_required
@require_POST
def update_search(request, search_id):
    search = get_object_or_404(SavedSearch, pk=search_id, user=request.user)
    form = SavedSearchForm(request.POST, instance=search, user=request.user, prefix=f"s{search.pk}")
    if form.is_valid():
        form.save()
        messages.success(request, f"Updated “{search.name}”.")
    else:
        messages.error(request, " ".join(error for errors in form.errors.values() for error in errors))
    return redirect("following:searches")


@login_required
@require_POST
def delete_search(request, search_id):
    search = get_object_or_404(SavedSearch, pk=search_id, user=request.user)
    search.delete()
    messages.success(request, f"Deleted “{search.name}”.")
    return redirect("following:searches")


@login_required
@require_POST
def open_search(request, search_id):
    """Go to the saved search's page; what is in the index now is no longer new (a change of
    state, so only by POST: a link on another site cannot mark a reader's news as seen)."""
    search = get_object_or_404(SavedSearch, pk=search_id, user=request.user)
    return redirect(searches.visit(search))


@login_required
@require_POST
def follow_story(request, article_id):
    """Follow an article's story: a saved search of its thread (its versions and related
    coverage), with alerts; then My searches, where its alert can be changed."""
    try:
        saved, new = searches.follow_story(request.user, article_id)
    except searches.CannotFollow as exc:
        messages.error(request, str(exc))
        return redirect("following:searches")
    if new:
        messages.success(request, f"You follow “{saved.name}”: its new versions and related coverage are emailed "
                                  "as they arrive (change that below).")
    else:
        messages.info(request, f"You already follow this story: “{saved.name}”.")
    return redirect("following:searches")


def search_feed(request):
    """The Atom feed of a search URL's query string; bad parameters 400, index down 503.
    Where search needs a login, a reader's private key (`feedkeys`) stands for signing in."""
    if (settings.SEARCH_REQUIRES_LOGIN and not request.user.is_authenticated
            and feedkeys.reader_of(request.GET.get("key")) is None):
        return HttpResponse(
            "Log in to use the search; feed readers use the feed link from My searches, which carries your key.",
            status=401, content_type="text/plain",
        )
    try:
        return SearchFeed(parse_search_params(query_params(request)))(request)
    except SearchParamError as exc:
        return HttpResponse(str(exc), status=400, content_type="text/plain; charset=utf-8")
    except UNAVAILABLE:
        return HttpResponse("Search is unavailable right now.", status=503, content_type="text/plain")
