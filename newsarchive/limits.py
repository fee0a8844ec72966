"""Per-client request limits, so that one client cannot slow the others.

Each request falls in a group (search pages, the API, login forms, uploads; the health probe,
static files and the staff's admin pages in none) and is counted per client in the shared
cache's Redis, in fixed windows of the rate's period. Over its group's rate a client gets a 429
with Retry-After at once, before any search runs or any password is hashed. The rates are
settings (RATE_LIMITS). When Redis cannot be reached the request goes through: a Redis outage
must not take search down with it.

The count is one pipelined round trip (INCR, then EXPIRE when the window is new), made on
every request a reader sends; django-ratelimit's add-then-increment took two, through a new
cache client each (docs/performance.md, "Request limits").

A password check is a deliberately slow hash (a second of one core, by design), so a web
process also runs at most LOGIN_CONCURRENCY of them at once: a burst of sign-ins, from one
client or from many, cannot take every core from the other readers; one more is answered with
a 429 at once.
"""
import logging
import re
import threading
import time
from functools import lru_cache

import redis
from django.conf import settings
from django.core.exceptions import ImproperlyConfigured
from django.http import HttpResponse
from django.template.loader import render_to_string
from redis.exceptions import RedisError

from articles.web import problem

from .clients import client_ip

logger = logging.getLogger(__name__)

# The views whose POST checks a password (a slow hash by design) or sends mail: sign-in,
# sign-up, the account's changes and deletion, password reset and the verification link.
LOGIN_VIEWS = {"admin:login"} | {f"following:{name}" for name in (
    "login", "signup", "account", "send_verification", "password_change", "password_reset",
    "password_reset_confirm", "delete_account")}
UPLOAD_VIEWS = {"admin:articles_upload", "batches:batches", "batches:api-batches", "batches:run"}
UNLIMITED_VIEWS = {"articles:healthz"}
READ_NAMESPACES = {"articles", "trends", "following", "batches"}
_cache_down_logged_at = 0.0
_password_checks = threading.BoundedSemaphore(settings.LOGIN_CONCURRENCY)


def limit_group(request):
    """The group whose rate applies to `request`, or None when it is not limited."""
    match = request.resolver_match
    name = match.view_name if match else ""
    if request.method == "POST":
        if name in LOGIN_VIEWS:
            return "login"
        return "upload" if name in UPLOAD_VIEWS else None
    if name in UNLIMITED_VIEWS or not match or not READ_NAMESPACES & set(match.namespaces):
        return None
    return "api" if request.path.startswith("/api/") else "search"


def client_key(group, request):
    """A signed-in reader is one client wherever they are; anyone else is their address."""
    user = getattr(request, "user", None)
    if group != "login" and user is not None and user.is_authenticated:
        return f"user:{user.pk}"
    return f"ip:{client_ip(request) or 'unknown'}"


class RateLimitMiddleware:
    def __init__(self, get_response):
        self.get_response = get_response
        for rate in settings.RATE_LIMITS.values():  # a wrong rate stops the server at start
            parse_rate(rate)

    def __call__(self, request):
        try:
            return self.get_response(request)
        finally:
            if getattr(request, "holds_password_check", False):
                _password_checks.release()

    def process_view(self, request, view_func, view_args, view_kwargs):
        group = limit_group(request)
        if group is None:
            return None
        retry_after = _over_rate(request, group)
        if retry_after:
            return too_many_requests(request, group, retry_after, "Too many requests from your address")
        if group == "login":
            if not _password_checks.acquire(blocking=False):
                return too_many_requests(request, group, 1, "The site is busy checking other sign-ins")
            request.holds_password_check = True  # released when the response is made
        return None


PERIODS = {"s": 1, "m": 60, "h": 3600, "d": 86400}


@lru_cache(maxsize=64)
def parse_rate(rate):
    """"120/m" -> (120, 60): requests allowed, and the period in seconds ("5/10s": 5 per 10 s)."""
    found = re.fullmatch(r"\s*(\d+)\s*/\s*(\d*)\s*([smhd])\s*", rate or "")
    if not found or int(found[2] or 1) < 1:
        raise ImproperlyConfigured(f"A rate limit is a count per period, such as 120/m or 5/10s, not {rate!r}.")
    return int(found[1]), int(found[2] or 1) * PERIODS[found[3]]


@lru_cache(maxsize=4)
def _redis(url):
    timeouts = settings.CACHES["default"].get("OPTIONS", {})
    return redis.Redis.from_url(url, socket_connect_timeout=timeouts.get("socket_connect_timeout"),
                                socket_timeout=timeouts.get("socket_timeout"))


def count_request(group, client, period):
    """Count one request of `client` in `group`'s current window: (count so far, seconds left)."""
    now = time.time()
    window = int(now // period)
    key = f"{settings.CACHES['default'].get('KEY_PREFIX', '')}:limit:{group}:{client}:{window}"
    with _redis(settings.CACHES["default"]["LOCATION"]).pipeline(transaction=False) as pipe:
        pipe.incr(key)
        pipe.expire(key, period + 1, nx=True)
        count, _ = pipe.execute()
    return count, period - now % period


def _over_rate(request, group):
    """Seconds until the client may send again when this request is over its rate, else 0."""
    global _cache_down_logged_at
    limit, period = parse_rate(settings.RATE_LIMITS[group])
    try:
        count, left = count_request(group, client_key(group, request), period)
    except RedisError as exc:
        if time.monotonic() - _cache_down_logged_at > 60:  # once a minute, not once a request
            _cache_down_logged_at = time.monotonic()
            logger.warning("Rate limits not applied: the cache is unreachable (%s)", exc)
        return 0
    return max(1, round(left)) if count > limit else 0


def too_many_requests(request, group, retry_after, reason):
    message = f"{reason}; try again in {retry_after} second{'s' if retry_after > 1 else ''}."
    if request.path.startswith("/api/"):
        response = problem(429, message)
    else:
        response = HttpResponse(
            render_to_string("429.html", {"message": message}, request=request), status=429
        )
    response["Retry-After"] = str(retry_after)
    logger.info("%s (%s, %s): %s", reason, group, settings.RATE_LIMITS[group], client_key(group, request))
    return response
