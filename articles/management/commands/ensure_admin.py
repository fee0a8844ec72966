"""manage.py ensure_admin: make the first admin account, once; never reset it afterwards.

`make run` runs it at every start. With no superuser yet it creates one: the password from
ADMIN_PASSWORD when set (the password validators must accept it), otherwise a generated one,
printed this once. An existing admin's password is left alone, except the old default
"admin" that `make run` used to set, which anyone could guess: that one is replaced by a
generated password, printed once.
"""
import os
import secrets

from django.contrib.auth import get_user_model
from django.contrib.auth.password_validation import validate_password
from django.core.exceptions import ValidationError
from django.core.management.base import BaseCommand, CommandError

OLD_DEFAULT = "admin"


class Command(BaseCommand):
    help = "Create the first superuser (password from ADMIN_PASSWORD, or generated and printed once)."

    def add_arguments(self, parser):
        parser.add_argument("--username", default=os.environ.get("ADMIN_USER") or "admin")

    def handle(self, username, **options):
        users = get_user_model().objects
        named = users.filter(username=username).first()
        if named and named.is_superuser and named.check_password(OLD_DEFAULT):
            self._set_generated_password(named, "had the old default password; it is replaced")
        elif users.filter(is_superuser=True).exists():
            self.stdout.write("An admin account exists; its password is unchanged.")
        elif named:
            # Never promote an existing account: a reader may have signed up with this name.
            raise CommandError(f"An account named {username!r} exists and is not an admin; set ADMIN_USER to another name.")
        elif os.environ.get("ADMIN_PASSWORD"):
            user = users.model(username=username, is_staff=True, is_superuser=True)
            try:
                validate_password(os.environ["ADMIN_PASSWORD"], user)
            except ValidationError as exc:
                raise CommandError("ADMIN_PASSWORD is refused: " + " ".join(exc.messages)) from None
            user.set_password(os.environ["ADMIN_PASSWORD"])
            user.save()
            self.stdout.write(f"Admin account created: {username} (password from ADMIN_PASSWORD)")
        else:
            self._set_generated_password(users.model(username=username, is_staff=True, is_superuser=True), "created")

    def _set_generated_password(self, user, what):
        password = secrets.token_urlsafe(18)
        user.set_password(password)
        user.save()
        self.stdout.write(self.style.WARNING(
            f"Admin account {user.username} {what}. Its password: {password}\n"
            f"Keep it now: it is not shown again (`manage.py changepassword {user.username}` sets another)."
        ))
