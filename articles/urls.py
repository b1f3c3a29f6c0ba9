from django.urls import path

from .views import public

app_name = "articles"

urlpatterns = [
    path("", public.home, name="home"),
    path("articles/<slug:slug>/", public.article_detail, name="detail"),
]
