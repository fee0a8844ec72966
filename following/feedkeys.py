"""Private keys that stand for a reader where they cannot sign in: a feed reader (where search
needs a login, SEARCH_REQUIRES_LOGIN, a reader's own feed links carry one), and a script using
their batch searches through the API (batches/).

A key is the reader's id and an HMAC of it with their password hash, salted per use (as Django's
password-reset tokens do): it needs no table, and changing the password revokes it.
"""
import re

from django.conf import settings
from django.contrib.auth import get_user_model
from django.utils.crypto import constant_time_compare, salted_hmac

SALT = "following.feedkeys"


def _signature(user, salt):
    return salted_hmac(salt, f"{user.pk}:{user.password}", algorithm="sha256").hexdigest()[:32]


def key_for(user, salt):
    """`user`'s key for the use `salt` names."""
    return f"{user.pk}-{_signature(user, salt)}"


def user_for(key, salt):
    """The active reader a key for the use `salt` stands for, or None for a missing, forged or
    revoked key."""
    user_id, _, signature = (key or "").partition("-")
    if not re.fullmatch(r"[0-9]{1,18}", user_id):  # int() takes "²"; PostgreSQL's ids end at 19 digits
        return None
    user = get_user_model().objects.filter(pk=int(user_id), is_active=True).first()
    return user if user and constant_time_compare(signature, _signature(user, salt)) else None


def feed_key(user):
    """The key for `user`'s feed links, or None where feeds are public (or no one is signed in)."""
    if not settings.SEARCH_REQUIRES_LOGIN or user is None or not user.is_authenticated:
        return None
    return key_for(user, SALT)


def reader_of(key):
    """The active reader a feed key stands for, or None for a missing, forged or revoked key."""
    return user_for(key, SALT)
