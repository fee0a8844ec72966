"""Private feed keys: where search needs a login (SEARCH_REQUIRES_LOGIN), a feed reader
cannot sign in, so a reader's own feed links carry a key that stands for them.

The key is the reader's id and an HMAC of it with their password hash (as Django's
password-reset tokens do): it needs no table, and changing the password revokes it.
"""
from django.conf import settings
from django.contrib.auth import get_user_model
from django.utils.crypto import constant_time_compare, salted_hmac

SALT = "following.feedkeys"


def _signature(user):
    return salted_hmac(SALT, f"{user.pk}:{user.password}", algorithm="sha256").hexdigest()[:32]


def feed_key(user):
    """The key for `user`'s feed links, or None where feeds are public (or no one is signed in)."""
    if not settings.SEARCH_REQUIRES_LOGIN or user is None or not user.is_authenticated:
        return None
    return f"{user.pk}-{_signature(user)}"


def reader_of(key):
    """The active reader a feed key stands for, or None for a missing, forged or revoked key."""
    user_id, _, signature = (key or "").partition("-")
    if not user_id.isdigit():
        return None
    user = get_user_model().objects.filter(pk=int(user_id), is_active=True).first()
    return user if user and constant_time_compare(signature, _signature(user)) else None
