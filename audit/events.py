"""Names of the explicit events in the audit trail.

Other apps pass these to ``audit.services.audit_record``; the strings are stored, so never
rename one that has been released (add a new one instead).
"""

LOGIN = "auth.login"
LOGIN_FAILED = "auth.login_failed"
LOGOUT = "auth.logout"
PASSWORD_RESET_REQUESTED = "auth.password_reset_requested"  # noqa: S105 an event name
ACCOUNT_UNLOCKED = "auth.account_unlocked"

MFA_ENROLLED = "mfa.enrolled"
MFA_REMOVED = "mfa.removed"
MFA_RECOVERY_CODES = "mfa.recovery_codes"

CONTACT_DETAILS_VIEWED = "concern.contact_details_viewed"
CONCERN_ASSIGNED = "concern.assigned"
CONCERN_STATUS = "concern.status"
CONCERN_PUBLISHED = "concern.published"

EXPORT = "export"

# Entries mirrored from django-auditlog's model diffs (create / update / delete of a
# registered model, m2m changes included).
RECORD_CREATED = "record.created"
RECORD_UPDATED = "record.updated"
RECORD_DELETED = "record.deleted"
RECORD_ACCESSED = "record.accessed"
