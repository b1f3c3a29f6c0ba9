from django.apps import AppConfig


class ReviewsConfig(AppConfig):
    name = "reviews"
    default_auto_field = "django.db.models.BigAutoField"

    def ready(self):
        # Control characters are removed from every text field as it is saved (articles.hygiene),
        # for this app's models and for people's names, usernames and email addresses.
        from django.contrib.auth import get_user_model

        from articles.hygiene import connect
        connect(*self.get_models(), get_user_model())
