from django.apps import AppConfig


class FollowingConfig(AppConfig):
    """Readers' accounts, saved searches, their alerts and feeds."""

    name = "following"
    default_auto_field = "django.db.models.BigAutoField"
