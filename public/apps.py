from django.apps import AppConfig


class PublicConfig(AppConfig):
    name = "public"
    default_auto_field = "django.db.models.BigAutoField"

    def ready(self):
        # A change to what readers see (a publication, a topic) invalidates the public pages' cache.
        from .caching import connect_signals

        connect_signals()
