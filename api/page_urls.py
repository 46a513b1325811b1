from django.urls import path

from . import pages

# In the language prefix: the documentation page is read by people, in their language.
urlpatterns = [
    path("api/docs/", pages.docs, name="api-docs"),
]
