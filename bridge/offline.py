"""The field app's device store (static/js/offline_store.js, served worker bridge/sw.js).

Each signed-in account keeps its queue and its saved pages under its own store name on the
device. The name is derived from the account, never its username, so nothing personal is
written to the device's storage names; a queue sent while another account is signed in is
refused (409) instead of being logged under the wrong liaison."""

from django.utils.crypto import salted_hmac

STORE_HEADER = "X-Bridge-Store"
QUEUE_HEADER = "X-Bridge-Queue"


def store_id(user) -> str:
    if not user.is_authenticated:
        return ""
    return salted_hmac("bridge.offline.store", str(user.pk), algorithm="sha256").hexdigest()[:32]


def verified(user) -> bool:
    """Signed in and past the second factor in this session (django-otp's is_verified; a
    user just signed in by this very request has no is_verified yet and is not)."""
    if user is None or not user.is_authenticated:
        return False
    is_verified = getattr(user, "is_verified", None)
    return bool(is_verified and is_verified())
