from django.db import migrations

from liaison import roles

TOPICS = [
    # slug, en, es, ar
    ("crime-prevention", "Crime prevention", "Prevención del delito", "الوقاية من الجريمة"),
    ("know-your-rights", "Know your rights", "Conozca sus derechos", "اعرف حقوقك"),
    ("victim-services", "Victim services", "Servicios para víctimas", "خدمات الضحايا"),
    ("trust-building", "Trust building", "Generar confianza", "بناء الثقة"),
    ("youth", "Youth", "Jóvenes", "الشباب"),
    ("traffic-safety", "Traffic safety", "Seguridad vial", "السلامة المرورية"),
    ("domestic-violence", "Domestic violence", "Violencia doméstica", "العنف الأسري"),
    ("scams-fraud", "Scams and fraud", "Estafas y fraudes", "الاحتيال والنصب"),
    ("hate-crimes", "Hate crimes", "Delitos de odio", "جرائم الكراهية"),
    ("calling-911", "How to call 911", "Cómo llamar al 911", "كيفية الاتصال بـ 911"),
    ("language-access", "Language access", "Acceso lingüístico", "الوصول اللغوي"),
    ("recruitment", "Police recruitment", "Reclutamiento policial", "التوظيف في الشرطة"),
]

CONTACT = ["add_contact", "change_contact", "delete_contact", "view_contact"]


def forwards(apps, schema_editor):
    Topic = apps.get_model("liaison", "Topic")
    for slug, en, es, ar in TOPICS:
        Topic.objects.get_or_create(
            slug=slug, defaults={"name": en, "name_en": en, "name_es": es, "name_ar": ar}
        )
    views = [
        "view_prioritycommunity",
        "view_partner",
        "view_liaison",
        "view_assignment",
        "view_topic",
        "view_languageskill",
        "view_quarterlytarget",
    ]
    every = [
        f"{action}_{model}"
        for model in [
            "prioritycommunity",
            "liaison",
            "languageskill",
            "assignment",
            "partner",
            "topic",
            "contact",
            "quarterlytarget",
        ]
        for action in ["add", "change", "delete", "view"]
    ]
    roles.grant(
        apps,
        "liaison",
        {
            roles.LIAISON: [*CONTACT, *views, "add_partner", "change_partner"],
            roles.COMMANDER: [*views, "view_contact", "view_all_contacts"],
            roles.COORDINATOR: [*every, "view_all_contacts", "manage_all_contacts"],
        },
    )


class Migration(migrations.Migration):
    dependencies = [("liaison", "0002_initial")]
    operations = [migrations.RunPython(forwards, migrations.RunPython.noop)]
