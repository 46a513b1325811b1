"""Names of the explicit events in the audit trail.

Other apps pass these to ``audit.services.audit_record``; the strings are stored, so never
rename one that has been released (add a new one instead).
"""

from django.utils.translation import gettext_lazy as _

LOGIN = "auth.login"
LOGIN_FAILED = "auth.login_failed"
LOGOUT = "auth.logout"
PASSWORD_RESET_REQUESTED = "auth.password_reset_requested"  # noqa: S105 an event name
ACCOUNT_UNLOCKED = "auth.account_unlocked"
PASSWORD_CHANGED = "auth.password_changed"  # noqa: S105 an event name
PASSWORD_RESET_DONE = "auth.password_reset_done"  # noqa: S105 an event name

MFA_ENROLLED = "mfa.enrolled"
MFA_REMOVED = "mfa.removed"
MFA_RECOVERY_CODES = "mfa.recovery_codes"
MFA_VERIFIED = "mfa.verified"
MFA_FAILED = "mfa.failed"

CONTACT_DETAILS_VIEWED = "concern.contact_details_viewed"
SUBSCRIBER_DETAILS_VIEWED = "subscriber.details_viewed"
# A phone number replied STOP or START to a text message (outreach.sms_replies); no number.
SUBSCRIBER_SMS_STOP = "subscriber.sms_stop"
SUBSCRIBER_SMS_START = "subscriber.sms_start"
CONCERN_ASSIGNED = "concern.assigned"
CONCERN_STATUS = "concern.status"
CONCERN_PUBLISHED = "concern.published"
# "Was it resolved?" answered by the person who raised the concern (no actor, no address).
CONCERN_FOLLOWUP_ANSWERED = "concern.followup_answered"
# A survey comment published on "You said, we did" after a coordinator's edit, or set aside.
COMMENT_PUBLISHED = "comment.published"
COMMENT_DISMISSED = "comment.dismissed"

# Safety alerts (outreach): drafted or edited, sent for approval, approved and sent, withdrawn.
ALERT_SAVED = "alert.saved"
ALERT_SUBMITTED = "alert.submitted"
ALERT_APPROVED = "alert.approved"
ALERT_WITHDRAWN = "alert.withdrawn"
# Engagement requests (engagement): raised, liaisons assigned, moved on, work linked to it.
REQUEST_RAISED = "request.raised"
REQUEST_ASSIGNED = "request.assigned"
REQUEST_STATUS = "request.status"
REQUEST_LINKED = "request.linked"
# Policy pages (policies): a page made, a new version published.
POLICY_CREATED = "policy.created"
POLICY_PUBLISHED = "policy.version_published"

# An agency's own settings (agencies/): changed by its coordinator; the field names, no values.
AGENCY_SETTINGS_CHANGED = "agency.settings_changed"

EXPORT = "export"
EXPORT_DOWNLOADED = "export.downloaded"  # a prepared export file, fetched by its owner
# The regional view (dashboard/regional.py): the sharing agencies' summed figures, opened and
# exported by a regional analyst.
REGIONAL_VIEWED = "regional.viewed"
REGIONAL_EXPORTED = "regional.exported"

# The API (api/): tokens made and revoked, and every call a token makes.
API_TOKEN_CREATED = "api.token_created"  # noqa: S105 an event name
API_TOKEN_REVOKED = "api.token_revoked"  # noqa: S105 an event name
API_CALL = "api.call"

# An entry of a UI catalogue saved in django-rosetta (bridge.staff.translators).
TRANSLATION_CHANGED = "translation.changed"

# Entries mirrored from django-auditlog's model diffs (create / update / delete of a
# registered model, m2m changes included).
RECORD_CREATED = "record.created"
RECORD_UPDATED = "record.updated"
RECORD_DELETED = "record.deleted"
RECORD_ACCESSED = "record.accessed"

LABELS = {
    LOGIN: _("Signed in"),
    LOGIN_FAILED: _("Failed sign-in"),
    LOGOUT: _("Signed out"),
    PASSWORD_RESET_REQUESTED: _("Password reset requested"),
    ACCOUNT_UNLOCKED: _("Account unlocked"),
    PASSWORD_CHANGED: _("Password changed"),
    PASSWORD_RESET_DONE: _("Password set from a reset link"),
    MFA_ENROLLED: _("Second factor set up"),
    MFA_REMOVED: _("Second factor removed"),
    MFA_RECOVERY_CODES: _("Recovery codes made"),
    MFA_VERIFIED: _("Second step passed"),
    MFA_FAILED: _("Wrong second-step code"),
    CONTACT_DETAILS_VIEWED: _("Submitter's contact details shown"),
    SUBSCRIBER_DETAILS_VIEWED: _("Subscriber's address shown"),
    SUBSCRIBER_SMS_STOP: _("Text messages stopped by a STOP reply"),
    SUBSCRIBER_SMS_START: _("Text messages resumed by a START reply"),
    CONCERN_ASSIGNED: _("Concern assigned"),
    CONCERN_STATUS: _("Concern status changed"),
    CONCERN_PUBLISHED: _("Concern publishing changed"),
    CONCERN_FOLLOWUP_ANSWERED: _("Follow-up question answered"),
    COMMENT_PUBLISHED: _("Comment published"),
    COMMENT_DISMISSED: _("Comment set aside"),
    ALERT_SAVED: _("Safety alert saved"),
    ALERT_SUBMITTED: _("Safety alert sent for approval"),
    ALERT_APPROVED: _("Safety alert approved and sent"),
    ALERT_WITHDRAWN: _("Safety alert withdrawn"),
    REQUEST_RAISED: _("Engagement request raised"),
    REQUEST_ASSIGNED: _("Liaisons assigned to a request"),
    REQUEST_STATUS: _("Engagement request moved on"),
    REQUEST_LINKED: _("Work linked to a request"),
    POLICY_CREATED: _("Policy page created"),
    POLICY_PUBLISHED: _("Policy version published"),
    AGENCY_SETTINGS_CHANGED: _("Agency settings changed"),
    EXPORT: _("Export"),
    API_TOKEN_CREATED: _("API token made"),
    API_TOKEN_REVOKED: _("API token revoked"),
    API_CALL: _("API call"),
    EXPORT_DOWNLOADED: _("Export file downloaded"),
    REGIONAL_VIEWED: _("Regional figures viewed"),
    REGIONAL_EXPORTED: _("Regional figures exported"),
    TRANSLATION_CHANGED: _("Interface translation changed"),
    RECORD_CREATED: _("Record created"),
    RECORD_UPDATED: _("Record changed"),
    RECORD_DELETED: _("Record deleted"),
    RECORD_ACCESSED: _("Record viewed"),
}


def label(event: str) -> str:
    return str(LABELS.get(event, event))


# The kinds of object the trail's filter offers: the models django-auditlog follows
# (AUDITLOG_INCLUDE_TRACKING_MODELS) and those explicit events are about. Labels only: the
# ground floor names the models above it, it never imports them.
OBJECT_TYPES = (
    ("auth.user", _("Staff account")),
    ("auth.group", _("Role")),
    ("liaison.contact", _("Contact")),
    ("feedback.concern", _("Concern")),
    ("feedback.internalnote", _("Internal note")),
    ("outreach.subscriber", _("Subscriber")),
    ("outreach.safetyalert", _("Safety alert")),
    ("engagement.engagementrequest", _("Engagement request")),
    ("policies.policy", _("Policy page")),
    ("agencies.agency", _("Agency")),
)
