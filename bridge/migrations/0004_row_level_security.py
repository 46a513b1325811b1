"""Row-level security on every agency-owned table (agencies/rls.py): the database's own wall
between agencies, behind the tenant manager. A later migration that adds an agency-owned table
calls agencies.rls.install with its table, as this one does with these."""

from django.db import migrations

from agencies import rls

TABLES = [
    "api_accesstoken",
    "audit_entry",
    "dashboard_exportjob",
    "engagement_engagementrequest",
    "engagement_requeststep",
    "feedback_concern",
    "feedback_followup",
    "feedback_internalnote",
    "feedback_publishedcomment",
    "feedback_statuschange",
    "liaison_assignment",
    "liaison_contact",
    "liaison_languageskill",
    "liaison_liaison",
    "liaison_partner",
    "liaison_prioritycommunity",
    "liaison_quarterlytarget",
    "messaging_message",
    "messaging_smsoptout",
    "outreach_attendancereceipt",
    "outreach_communityattendance",
    "outreach_eventattendance",
    "outreach_outreachevent",
    "outreach_safetyalert",
    "outreach_subscriber",
    "policies_policy",
    "policies_policyversion",
    "surveys_surveyresponse",
]


def install(apps, schema_editor):
    rls.install(schema_editor, TABLES)


def uninstall(apps, schema_editor):
    if schema_editor.connection.vendor != "postgresql":
        return
    for table in TABLES:
        schema_editor.execute(f"DROP POLICY IF EXISTS agency_isolation ON {table}")
        schema_editor.execute(f"ALTER TABLE {table} DISABLE ROW LEVEL SECURITY")


class Migration(migrations.Migration):
    dependencies = [
        ("bridge", "0003_translator_role"),
        ("admin", "0003_logentry_add_action_flag_choices"),
        ("api", "0003_agency"),
        ("audit", "0003_agency"),
        ("auditlog", "0017_add_actor_email"),
        ("auth", "0012_alter_user_first_name_max_length"),
        ("axes", "0010_accessattemptexpiration"),
        ("contenttypes", "0002_remove_content_type_name"),
        ("dashboard", "0007_agency"),
        ("engagement", "0003_agency"),
        ("feedback", "0012_agency"),
        ("liaison", "0012_agency"),
        ("messaging", "0008_agency"),
        ("otp_static", "0003_add_timestamps"),
        ("otp_totp", "0003_add_timestamps"),
        ("outreach", "0010_agency"),
        ("policies", "0003_agency"),
        ("sessions", "0001_initial"),
        ("surveys", "0003_agency"),
    ]

    operations = [migrations.RunPython(install, uninstall)]
