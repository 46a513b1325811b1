"""A submitter who leaves an e-mail or phone gets one receipt with their tracking code, in
their language; an anonymous concern gets none (issue 11)."""

import pytest
from django.utils import translation

from feedback.models import Concern
from messaging.models import Message
from messaging.segments import sms_length

pytestmark = pytest.mark.django_db


def _receipts():
    return Message.objects.filter(key__contains=":receipt:")


@pytest.mark.parametrize("lang", ["en", "ar", "so", "zh-hans"])
def test_receipt_by_email_in_the_submitters_language_with_the_code(client, concern_form_data, lang):
    client.post(
        f"/{lang}/concerns/new/",
        concern_form_data(contact_method="email", email="parent@example.org", language=lang),
    )
    concern = Concern.objects.get()
    (receipt,) = _receipts()
    assert (receipt.channel, receipt.address, receipt.language) == ("email", "parent@example.org", lang)
    assert concern.code_display in receipt.body and concern.code_display in receipt.html_body
    assert "911" in receipt.body
    with translation.override(lang):
        thanks = translation.gettext("Thank you. We received your concern.")
        next_steps = translation.gettext("What happens next")
    assert thanks in receipt.body and next_steps in receipt.body
    assert f'lang="{lang}"' in receipt.html_body
    assert concern.code not in receipt.body.split("://", 1)[1].split()[0]  # never the code in a URL


def test_receipt_by_sms_keeps_code_and_link_within_the_segments(client, concern_form_data):
    client.post(
        "/ur/concerns/new/",
        concern_form_data(contact_method="phone", phone="(412) 555-0134", language="ur"),
    )
    concern = Concern.objects.get()
    (receipt,) = _receipts()
    assert receipt.channel == "sms" and receipt.language == "ur"
    assert concern.code_display in receipt.body and "/concerns/track/" in receipt.body
    assert sms_length(receipt.body).segments <= 3


def test_receipt_none_for_an_anonymous_concern(client, concern_form_data):
    client.post("/en/concerns/new/", concern_form_data(contact_method="none"))
    assert Concern.objects.count() == 1
    assert _receipts().count() == 0


def test_receipt_exactly_once_per_concern(client, concern_form_data):
    from feedback import services

    client.post("/en/concerns/new/", concern_form_data(contact_method="email", email="me@example.org"))
    concern = Concern.objects.get()
    # Queued again (a retry, a redelivered task): the outbox key refuses a second copy.
    from messaging.services import message_queue

    message_queue(outgoing=[services.concern_receipt(concern=concern)])
    assert _receipts().count() == 1
