"""Email verification: a reader's address is unverified until they follow a signed link
mailed to it, and alerts go only to verified addresses (`verified_readers`).

The link carries the reader's id and the address, signed with a timestamp by Django's
signing (no table of tokens): it proves the address only while it is still the reader's,
and only for MAX_AGE.
"""
import logging
from datetime import timedelta

from django.contrib.auth import get_user_model
from django.core import signing
from django.db.models import F
from django.urls import reverse
from django.utils import timezone

from . import mail
from .models import EmailVerification

logger = logging.getLogger(__name__)
SALT = "following.verification"
MAX_AGE = timedelta(days=3)
# Between two links to one address: nobody can make the site mail an address over and over.
RESEND_AFTER = timedelta(minutes=1)
SENT, TOO_SOON, FAILED = "sent", "too soon", "failed"


class InvalidLink(Exception):
    """A link that verifies nothing; the message says why."""


def is_verified(user):
    return bool(user.email) and EmailVerification.objects.filter(user=user, email=user.email).exists()


def verified_readers():
    """The accounts whose current address is verified."""
    return get_user_model().objects.exclude(email="").filter(email_verification__email=F("email"))


def token(user):
    return signing.TimestampSigner(salt=SALT).sign_object({"user": user.pk, "email": user.email})


def reader_for(link_token):
    """The reader whose address a link's token verifies; raises InvalidLink."""
    try:
        data = signing.TimestampSigner(salt=SALT).unsign_object(link_token, max_age=MAX_AGE)
    except signing.SignatureExpired:
        raise InvalidLink("This link has expired. Sign in and ask for a new one.") from None
    except signing.BadSignature:
        raise InvalidLink("This link is not valid. Copy the whole link from the email, or ask for a new one.") from None
    user = get_user_model().objects.filter(pk=data["user"], is_active=True).first()
    if user is None or not user.email or user.email != data["email"]:
        raise InvalidLink("This link is for an address that is no longer on the account.")
    return user


def confirm(user):
    """The reader followed the link: their current address is verified."""
    EmailVerification.objects.update_or_create(user=user, defaults={"email": user.email, "verified_at": timezone.now()})


def send_link(user):
    """Mail `user` a link that verifies their address: SENT, TOO_SOON (one went to it less
    than RESEND_AFTER ago) or FAILED (the mail server did not take it; they may ask again)."""
    record, _ = EmailVerification.objects.get_or_create(user=user)
    now = timezone.now()
    if record.sent_to == user.email and record.sent_at and now - record.sent_at < RESEND_AFTER:
        return TOO_SOON
    link = mail.absolute(reverse("following:verify_email", args=[token(user)]))
    try:
        mail.verification_message(user, link).send()
    except Exception:  # SMTP down or refusing: the page says so, the reader can ask again
        logger.exception("Verification link for reader %s not sent", user.pk)
        return FAILED
    EmailVerification.objects.filter(pk=record.pk).update(sent_at=now, sent_to=user.email)
    return SENT
