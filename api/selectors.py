from django.db.models import QuerySet

from .models import AccessToken


def tokens_of(user) -> QuerySet:
    return AccessToken.objects.filter(user=user).order_by("-created_at", "-id")


def tokens_of_everyone() -> QuerySet:
    """Every token not revoked, for the coordinator's page."""
    return (
        AccessToken.objects.filter(revoked_at__isnull=True)
        .select_related("user")
        .order_by("-created_at", "-id")
    )


def token_for(user, pk: int, *, manage_all: bool) -> AccessToken | None:
    qs = AccessToken.objects.select_related("user").filter(pk=pk)
    if not manage_all:
        qs = qs.filter(user=user)
    return qs.first()
