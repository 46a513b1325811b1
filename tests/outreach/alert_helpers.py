"""Safety alerts for tests, made through the services as a liaison and a coordinator would."""

from outreach import services
from outreach.models import SafetyAlert

TEXTS = {
    "title_en": "Fake immigration services ask for money",
    "title_es": "Servicios de inmigración falsos piden dinero",
    "title_ar": "خدمات هجرة مزيفة تطلب المال",
    "body_en": "People posing as immigration consultants ask for cash or gift cards for papers.",
    "body_es": "Personas que se hacen pasar por consultores de inmigración piden efectivo o tarjetas.",
    "body_ar": "أشخاص ينتحلون صفة مستشاري هجرة يطلبون نقداً أو بطاقات هدايا مقابل أوراق.",
    "advice_en": "Never pay in cash. Ask for a licensed lawyer.",
    "advice_es": "Nunca pague en efectivo. Pida un abogado con licencia.",
}


def draft_alert(liaison_user, *, communities=(), everyone=False, **fields) -> SafetyAlert:
    data = {"kind": SafetyAlert.Kind.SCAM, "area": "near Main Street", "languages": ["es", "ar"], **TEXTS}
    data.update(fields)
    return services.alert_save(actor=liaison_user, communities=communities, everyone=everyone, **data)


def submitted_alert(liaison_user, **kwargs) -> SafetyAlert:
    alert = draft_alert(liaison_user, **kwargs)
    return services.alert_submit(actor=liaison_user, alert=alert, confirmed=True)


def sent_alert(liaison_user, coordinator, **kwargs) -> SafetyAlert:
    alert = submitted_alert(liaison_user, **kwargs)
    services.alert_approve(actor=coordinator, alert=alert)
    alert.refresh_from_db()
    return alert
