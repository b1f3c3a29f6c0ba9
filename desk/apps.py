from django.apps import AppConfig


class DeskConfig(AppConfig):
    name = "desk"
    default_auto_field = "django.db.models.BigAutoField"

    def ready(self):
        # Marks reviewers' and editors' sessions at login (the idle timeout, two factors).
        from . import middleware  # noqa: F401
