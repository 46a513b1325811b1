from django.urls import path  # noqa: F401 - the pages come with the views

app_name = "engagement"
urlpatterns: list = []
