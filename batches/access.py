"""Who asks for a batch: the reader signed in (a session), or the bearer of their API token.

The token is a private key of the reader's (following.feedkeys: their id and an HMAC with
their password hash), shown on their Batch search page; changing the password revokes it.
A request that sends a token is the token's reader's alone, whatever session it carries.
"""
from following import feedkeys

TOKEN_SALT = "batches.api"


def api_token(user):
    return feedkeys.key_for(user, TOKEN_SALT)


def bearer_token(request):
    """The token sent as `Authorization: Bearer <token>`; "" when the header names another
    scheme or is empty, None when there is no header."""
    header = request.headers.get("Authorization")
    if header is None:
        return None
    scheme, _, token = header.strip().partition(" ")
    return token.strip() if scheme.lower() == "bearer" else ""


def asking_reader(request):
    """(reader, by_token): the reader a request comes from, or (None, by_token) when it comes
    from no one (no session, or a token that is missing, forged or revoked)."""
    token = bearer_token(request)
    if token is not None:
        return feedkeys.user_for(token, TOKEN_SALT), True
    user = request.user
    return (user, False) if user.is_authenticated else (None, False)
