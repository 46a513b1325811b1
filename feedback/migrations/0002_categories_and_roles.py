from django.db import migrations

from liaison import roles

CATEGORIES = [
    # slug, en, es, ar
    (
        "safety",
        "A safety concern in my neighbourhood",
        "Un problema de seguridad en mi barrio",
        "مشكلة تتعلق بالسلامة في حيّي",
    ),
    (
        "police-service",
        "A problem with police service",
        "Un problema con el servicio de la policía",
        "مشكلة في خدمة الشرطة",
    ),
    ("compliment", "A compliment", "Un elogio", "إشادة أو شكر"),
    (
        "meeting-request",
        "A request for a meeting or presentation",
        "Una solicitud de reunión o presentación",
        "طلب اجتماع أو عرض تقديمي",
    ),
    ("suggestion", "A suggestion", "Una sugerencia", "اقتراح"),
]

VIEW = ["view_concern", "view_concerncategory", "view_statuschange", "view_internalnote"]


def forwards(apps, schema_editor):
    ConcernCategory = apps.get_model("feedback", "ConcernCategory")
    for position, (slug, en, es, ar) in enumerate(CATEGORIES, start=1):
        ConcernCategory.objects.get_or_create(
            slug=slug,
            defaults={"name": en, "name_en": en, "name_es": es, "name_ar": ar, "position": position},
        )
    roles.grant(
        apps,
        "feedback",
        {
            # Liaisons triage, answer and publish; commanders read; coordinators also manage
            # categories and fix translations in the admin.
            roles.LIAISON: [*VIEW, "triage_concern", "publish_concern"],
            roles.COMMANDER: VIEW,
            roles.COORDINATOR: [
                *VIEW,
                "triage_concern",
                "publish_concern",
                "change_concern",
                "add_concerncategory",
                "change_concerncategory",
            ],
        },
    )


class Migration(migrations.Migration):
    dependencies = [("feedback", "0001_initial"), ("liaison", "0003_roles_and_topics")]
    operations = [migrations.RunPython(forwards, migrations.RunPython.noop)]
