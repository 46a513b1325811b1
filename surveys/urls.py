from django.urls import path

from . import views

app_name = "surveys"
urlpatterns = [
    # Public addresses printed on flyers and language-access cards: do not change them.
    path("survey/", views.pulse, name="pulse"),
    path("events/<int:pk>/survey/", views.event_survey, name="event-survey"),
    path("survey/thanks/", views.thanks, name="thanks"),
    # Language-access cards to print, each leading to the pulse in its language.
    path("survey/card/", views.card, name="card"),
    # Staff.
    path("surveys/comments/", views.comment_list, name="comments"),
    path("surveys/comments/<int:pk>/", views.comment_detail, name="comment"),
    path("surveys/comments/<int:pk>/mark/", views.comment_mark, name="comment-mark"),
    path("surveys/comments/<int:pk>/publish/", views.comment_publish, name="comment-publish"),
]
