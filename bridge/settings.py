"""Bridge settings. Every deployment choice comes from the environment (see .env.example).

Safe local defaults: SQLite under var/, no broker (tasks run in-process), e-mail to files
under var/mail/. With DEBUG off, SECRET_KEY and ALLOWED_HOSTS must be set.
"""

import sys
from pathlib import Path

import django
import environ
from csp.constants import NONE, SELF
from django.conf import global_settings
from django.utils.translation import gettext_lazy as _

from languages import registry as language_registry

BASE_DIR = Path(__file__).resolve().parent.parent
VAR_DIR = BASE_DIR / "var"
VAR_DIR.mkdir(exist_ok=True)

env = environ.Env()
environ.Env.read_env(BASE_DIR / ".env", overwrite=False)


def _require(name: str) -> str:
    # One line naming the variable, not a traceback: this is what an operator reads first.
    value = env.str(name, default="")
    if not value:
        sys.exit(f"Bridge cannot start: set {name} in the environment (required when DEBUG is off).")
    return value


DEBUG = env.bool("DEBUG", default=False)
TESTING = "pytest" in sys.modules or env.bool("BRIDGE_TESTING", default=False)
# manage.py commands that only read the code (whether models match their migrations, the
# message catalogues): a fresh checkout or a build machine runs them with no .env and no secret.
# Nothing they do signs, serves or sends.
CODE_ONLY_COMMAND = Path(sys.argv[0]).name == "manage.py" and sys.argv[1:2] in (
    ["makemigrations"],
    ["makemessages"],
    ["compilemessages"],
    ["version"],
    ["help"],
)

if DEBUG or TESTING or CODE_ONLY_COMMAND:
    SECRET_KEY = env.str("SECRET_KEY", default="dev-only-insecure-key-do-not-use-in-production")
    ALLOWED_HOSTS = env.list("ALLOWED_HOSTS", default=["127.0.0.1", "localhost", "[::1]"])
else:
    SECRET_KEY = _require("SECRET_KEY")
    ALLOWED_HOSTS = [h for h in _require("ALLOWED_HOSTS").split(",") if h.strip()]
CSRF_TRUSTED_ORIGINS = env.list("CSRF_TRUSTED_ORIGINS", default=[])
# A form posted without its token gets a page in the visitor's language saying what to do.
CSRF_FAILURE_VIEW = "bridge.errors.csrf_failure"

INSTALLED_APPS = [
    # modeltranslation must come before the admin so its tabbed fields are used.
    "modeltranslation",
    "django.contrib.admin",
    "django.contrib.auth",
    "django.contrib.contenttypes",
    "django.contrib.sessions",
    "django.contrib.messages",
    "whitenoise.runserver_nostatic",
    "django.contrib.staticfiles",
    "django.contrib.humanize",
    "crispy_forms",
    "crispy_bootstrap5",
    "csp",
    # The REST API and Open311 (api/): Django REST framework, its OpenAPI 3 schema by
    # drf-spectacular, and CORS for the public read API (django-cors-headers).
    "rest_framework",
    "drf_spectacular",
    "corsheaders",
    # Staff security: lockout (django-axes), second factor (django-otp: TOTP and recovery
    # codes), model-change history (django-auditlog) under Bridge's own audit trail.
    "axes",
    "django_otp",
    "django_otp.plugins.otp_totp",
    "django_otp.plugins.otp_static",
    "auditlog",
    # Agencies (agencies/): one deployment for several departments, each sealed from the others.
    "agencies",
    "audit",
    "languages",
    # django-rosetta: translators review and correct the UI catalogues in the browser.
    "rosetta",
    "bridge",
    "liaison",
    "messaging",
    "outreach",
    "feedback",
    "surveys",
    "policies",
    "engagement",
    "dashboard",
    "api",
]

MIDDLEWARE = [
    "django.middleware.security.SecurityMiddleware",
    "whitenoise.middleware.WhiteNoiseMiddleware",
    # Partner websites read the public API from their own pages (api/: reads only).
    "corsheaders.middleware.CorsMiddleware",
    # The agency a request is for, from its host name: before anything reads a record.
    "agencies.middleware.AgencyMiddleware",
    "django.contrib.sessions.middleware.SessionMiddleware",
    "django.middleware.locale.LocaleMiddleware",
    # Only the languages the agency offers: other prefixes go to its default language.
    "agencies.middleware.AgencyLanguageMiddleware",
    # Fills base.html's place for "some text is not yet translated" once the page is drawn.
    "languages.middleware.FallbackNoteMiddleware",
    "django.middleware.common.CommonMiddleware",
    "django.middleware.csrf.CsrfViewMiddleware",
    "django.contrib.auth.middleware.AuthenticationMiddleware",
    # NUL bytes and other input no view should see: a 400 page in the visitor's language.
    "bridge.middleware.BadInputMiddleware",
    # After BadInputMiddleware: a session key holding a NUL must never reach the database.
    "bridge.middleware.SessionIdleMiddleware",
    # After BadInputMiddleware (it reads the session): an account of another agency is not
    # signed in on this agency's host name.
    "agencies.middleware.AgencyStaffMiddleware",
    "django_otp.middleware.OTPMiddleware",
    # The field app's queue (bridge/offline.py): a JSON answer, never a sign-in page, when the
    # session expired or wants the second factor; and the device store's name on staff pages.
    "bridge.middleware.OfflineQueueMiddleware",
    # A signed-in member of staff without a verified second factor reaches only the MFA pages.
    "bridge.middleware.StaffMFARequiredMiddleware",
    "audit.middleware.AuditMiddleware",  # django-auditlog's, reading RATELIMIT_IP_META_KEY
    # Before LoginRequiredMiddleware so it also marks the login redirect of a staff page.
    "bridge.middleware.StaffNoStoreMiddleware",
    # Every view needs a login unless it opts out with @login_not_required: a forgotten
    # decorator then hides a page instead of exposing it.
    "django.contrib.auth.middleware.LoginRequiredMiddleware",
    "django.contrib.messages.middleware.MessageMiddleware",
    "django.middleware.clickjacking.XFrameOptionsMiddleware",
    "csp.middleware.CSPMiddleware",
    # Last, as django-axes asks: it turns a locked-out authentication into the lockout page.
    "axes.middleware.AxesMiddleware",
]

ROOT_URLCONF = "bridge.urls"
WSGI_APPLICATION = "bridge.wsgi.application"

TEMPLATES = [
    {
        "BACKEND": "django.template.backends.django.DjangoTemplates",
        "DIRS": [BASE_DIR / "templates"],
        "APP_DIRS": True,
        "OPTIONS": {
            "context_processors": [
                "django.template.context_processors.request",
                "django.template.context_processors.i18n",
                "django.contrib.auth.context_processors.auth",
                "django.contrib.messages.context_processors.messages",
                "bridge.context_processors.site",
            ],
        },
    },
]

DATABASES = {"default": env.db("DATABASE_URL", default=f"sqlite:///{VAR_DIR / 'bridge.sqlite3'}")}
# Persistent connections in production (a new PostgreSQL connection per request cost the
# public concern form half its speed), checked before reuse so a restarted database is no
# error. Off for a newcomer's first run and in tests, where connections come and go.
DATABASES["default"].setdefault(
    "CONN_MAX_AGE", env.int("CONN_MAX_AGE", default=0 if DEBUG or TESTING else 600)
)
DATABASES["default"].setdefault("CONN_HEALTH_CHECKS", True)
DEFAULT_AUTO_FIELD = "django.db.models.BigAutoField"

AUTH_PASSWORD_VALIDATORS = [
    {"NAME": "django.contrib.auth.password_validation.UserAttributeSimilarityValidator"},
    # At least 12 characters and not on the common-password list (OWASP ASVS 5.0 V6.2).
    {
        "NAME": "django.contrib.auth.password_validation.MinimumLengthValidator",
        "OPTIONS": {"min_length": 12},
    },
    {"NAME": "django.contrib.auth.password_validation.CommonPasswordValidator"},
    {"NAME": "django.contrib.auth.password_validation.NumericPasswordValidator"},
]
# Django's default hashers (PBKDF2 first). The test suite makes thousands of accounts and
# sign-ins, and Django's testing guide's fast hasher saves it minutes; the strong ones stay
# behind it so a hash made elsewhere still checks.
if TESTING:
    PASSWORD_HASHERS = [
        "django.contrib.auth.hashers.MD5PasswordHasher",
        *global_settings.PASSWORD_HASHERS,
    ]
# django-axes first: it refuses a locked-out account or address before any password check.
AUTHENTICATION_BACKENDS = [
    "axes.backends.AxesStandaloneBackend",
    # Django's ModelBackend, refusing an account on another agency's host name.
    "agencies.backends.AgencyModelBackend",
]
LOGIN_URL = "login"
LOGIN_REDIRECT_URL = "staff-home"
LOGOUT_REDIRECT_URL = "home"

# --- Staff sessions, lockout and second factor (issue 9) -----------------------------------
# A session ends after SESSION_IDLE_MINUTES without a request (bridge.middleware.
# SessionIdleMiddleware renews a session in use) and when the browser closes (CJIS 5.5.5
# session lock; OWASP ASVS 5.0 V7.3).
SESSION_COOKIE_AGE = env.int("SESSION_IDLE_MINUTES", default=30) * 60
SESSION_EXPIRE_AT_BROWSER_CLOSE = True
# A password-reset link works for an hour, once.
PASSWORD_RESET_TIMEOUT = env.int("PASSWORD_RESET_TIMEOUT", default=60 * 60)
# django-axes: 5 failed sign-ins for one account, or from one address, lock it for the cool-off.
AXES_FAILURE_LIMIT = env.int("AXES_FAILURE_LIMIT", default=5)
AXES_COOLOFF_TIME = env.int("AXES_COOLOFF_MINUTES", default=15) / 60  # hours, as axes reads a number
AXES_LOCKOUT_PARAMETERS = ["username", "ip_address"]
# Not on a correct password: with per-address counting that would forgive every guess made
# from the same address, at anyone's account. A person's own failures are forgiven once they
# pass the second factor too (bridge.staff.mfa).
AXES_RESET_ON_SUCCESS = False
AXES_LOCKOUT_CALLABLE = "bridge.staff.lockout.lockout_response"
AXES_CLIENT_IP_CALLABLE = "bridge.staff.lockout.client_ip"
AXES_USERNAME_CALLABLE = "bridge.staff.lockout.username"
AXES_ENABLE_ACCESS_FAILURE_LOG = True
AXES_SENSITIVE_PARAMETERS = ["password", "otp_token", "token"]
# django-otp: the issuer an authenticator app shows next to the code.
OTP_TOTP_ISSUER = env.str("OTP_TOTP_ISSUER", default="Bridge")
# Password-reset requests per address and per e-mail address (django-ratelimit syntax).
BRIDGE_PASSWORD_RESET_RATE = env.str("BRIDGE_PASSWORD_RESET_RATE", default="5/h")

# --- Languages -------------------------------------------------------------------------
# Declared once, in languages/registry.py: a language is one line there, its catalogue
# under locale/ and its content columns (README, "Adding a language").
LANGUAGE_CODE = env.str("LANGUAGE_CODE", default="en")
LANGUAGES = language_registry.django_languages(_)
LANGUAGES_BIDI = language_registry.bidi_codes()
LOCALE_PATHS = [BASE_DIR / "locale"]
USE_I18N = True
USE_TZ = True
TIME_ZONE = env.str("TIME_ZONE", default="America/New_York")
# The remembered choice (the language switcher sets it): a year, like Django's default.
LANGUAGE_COOKIE_SAMESITE = "Lax"
MODELTRANSLATION_DEFAULT_LANGUAGE = LANGUAGE_CODE
# Per language, where a missing content text is looked for before the default (pt-br -> pt,
# ht -> fr); languages/content.py follows the same chains and says which language it used.
MODELTRANSLATION_FALLBACK_LANGUAGES = language_registry.modeltranslation_fallbacks(LANGUAGE_CODE)

# --- Translators (issue 10): django-rosetta for the UI catalogues ------------------------
# Under /<lang>/staff/translations/, for superusers and the Translator role, as members of
# staff signed in with the second factor (bridge.staff.translators).
ROSETTA_ACCESS_CONTROL_FUNCTION = "bridge.staff.translators.is_translator"
ROSETTA_MESSAGES_SOURCE_LANGUAGE_CODE = "en"  # the msgids, whatever LANGUAGE_CODE a unit runs in
# English is the msgids themselves: it has no catalogue to translate.
ROSETTA_LANGUAGES = [
    (code, name) for code, name in LANGUAGES if code != ROSETTA_MESSAGES_SOURCE_LANGUAGE_CODE
]
ROSETTA_SHOW_AT_ADMIN_PANEL = False  # the staff menu links it, for translators only
# A save compiles the catalogue (ROSETTA_AUTO_COMPILE); running processes read it when they
# restart, never because Rosetta touched the WSGI script or reloaded uWSGI.
ROSETTA_WSGI_AUTO_RELOAD = False
ROSETTA_UWSGI_AUTO_RELOAD = False
# Only the project's own catalogue (LOCALE_PATHS), whichever of Rosetta's lists is opened: no
# app's folder (all of ours share locale/), no third-party package's, and none of Django's
# (the "django" and "all" lists walk Django's package for locale folders).
ROSETTA_EXCLUDED_APPLICATIONS = tuple(INSTALLED_APPS)
_DJANGO = Path(django.__file__).parent  # where Django keeps its own catalogues
ROSETTA_EXCLUDED_PATHS = [
    str(_DJANGO / "conf" / "locale"),
    *(str(path) for path in _DJANGO.glob("contrib/*/locale")),
]
# A catalogue Rosetta cannot write is kept for download per person in the cache (Redis in
# production), not in the JSON-serialised session.
ROSETTA_STORAGE_CLASS = "rosetta.storage.CacheRosettaStorage"
ROSETTA_POFILE_WRAP_WIDTH = 79  # as tools/po_fill.py writes: a save does not rewrap the file

# --- Static files: our own CSS/JS plus front-end packages from npm (no CDN) -------------
STATIC_URL = "/static/"
STATIC_ROOT = VAR_DIR / "static"
STATIC_ROOT.mkdir(exist_ok=True)
_NODE = BASE_DIR / "node_modules"
STATICFILES_DIRS = [
    BASE_DIR / "static",
    ("vendor/bootstrap", _NODE / "bootstrap" / "dist"),
    ("vendor/bootstrap-icons", _NODE / "bootstrap-icons" / "font"),
    ("vendor/chart.js", _NODE / "chart.js" / "dist"),
    ("vendor/jquery-ui", _NODE / "jquery-ui" / "dist"),
    # The API documentation page (api/docs/).
    ("vendor/swagger-ui", _NODE / "swagger-ui-dist"),
    # The field app's device store and service worker (bridge/offline.py, bridge/sw.js).
    ("vendor/idb", _NODE / "idb" / "build"),
    *(
        ("vendor/workbox", _NODE / f"workbox-{name}" / "build")
        for name in ("sw", "core", "routing", "strategies", "expiration", "cacheable-response")
    ),
    # Fonts for every declared script (languages.registry.SCRIPT_FONTS).
    ("vendor/fonts", _NODE / "@fontsource"),
]
STORAGES = {
    "default": {"BACKEND": "django.core.files.storage.FileSystemStorage"},
    "staticfiles": {
        "BACKEND": (
            "django.contrib.staticfiles.storage.StaticFilesStorage"
            if DEBUG or TESTING
            else "whitenoise.storage.CompressedManifestStaticFilesStorage"
        )
    },
}
MEDIA_URL = "/media/"
MEDIA_ROOT = VAR_DIR / "media"
# Export files (dashboard.ExportJob): local media by default, in a folder nothing serves; any
# Django storage backend in production (EXPORT_STORAGE_BACKEND, e.g. storages.backends.s3.S3Storage,
# with its options in EXPORT_STORAGE_OPTIONS as JSON). Downloads always pass through the app's
# owner check and audit trail.
STORAGES["exports"] = {
    "BACKEND": env.str("EXPORT_STORAGE_BACKEND", default="django.core.files.storage.FileSystemStorage"),
    "OPTIONS": env.json(
        "EXPORT_STORAGE_OPTIONS", default={"location": str(MEDIA_ROOT / "private"), "base_url": None}
    ),
}

CRISPY_ALLOWED_TEMPLATE_PACKS = "bootstrap5"
CRISPY_TEMPLATE_PACK = "bootstrap5"

# --- Cache (rate limits share it across processes in production) -----------------------
CACHES = {"default": env.cache("CACHE_URL", default="locmemcache://bridge")}

# --- E-mail ----------------------------------------------------------------------------
if env.str("EMAIL_URL", default=""):
    vars().update(env.email("EMAIL_URL"))
else:
    EMAIL_BACKEND = "django.core.mail.backends.filebased.EmailBackend"
    EMAIL_FILE_PATH = str(VAR_DIR / "mail")
DEFAULT_FROM_EMAIL = env.str("DEFAULT_FROM_EMAIL", default="Bridge <bridge@localhost>")
SERVER_EMAIL = DEFAULT_FROM_EMAIL
# `make run HOST=... PORT=...` says where it serves (BRIDGE_RUN_URL); SITE_URL, when set, wins.
SITE_URL = env.str("SITE_URL", default=env.str("BRIDGE_RUN_URL", default="http://127.0.0.1:8000")).rstrip("/")

# --- Celery ----------------------------------------------------------------------------
CELERY_BROKER_URL = env.str("CELERY_BROKER_URL", default="")
# No broker: tasks run in-process (a newcomer's first run). The server says so at start-up.
CELERY_TASK_ALWAYS_EAGER = not CELERY_BROKER_URL
CELERY_TASK_EAGER_PROPAGATES = False
CELERY_TASK_DEFAULT_QUEUE = env.str("BRIDGE_CELERY_QUEUE", default="bridge")
CELERY_ACCEPT_CONTENT = ["json"]
CELERY_TASK_SERIALIZER = "json"
CELERY_RESULT_SERIALIZER = "json"
CELERY_RESULT_BACKEND = None
CELERY_TASK_IGNORE_RESULT = True
# Late ack + reject on worker loss: a task whose worker died is redelivered; the database
# row's status (taken under select_for_update) makes the redelivery harmless.
CELERY_TASK_ACKS_LATE = True
CELERY_TASK_REJECT_ON_WORKER_LOST = True
CELERY_WORKER_PREFETCH_MULTIPLIER = 1
CELERY_TASK_SOFT_TIME_LIMIT = 60
CELERY_TASK_TIME_LIMIT = 90
CELERY_BROKER_CONNECTION_RETRY_ON_STARTUP = True
CELERY_BROKER_TRANSPORT_OPTIONS = {"visibility_timeout": 3600}
CELERY_TIMEZONE = TIME_ZONE
CELERY_BEAT_SCHEDULE: dict = {}

# --- Security --------------------------------------------------------------------------
CONTENT_SECURITY_POLICY = {
    "DIRECTIVES": {
        "default-src": [SELF],
        "script-src": [SELF],
        "style-src": [SELF],
        # Bootstrap draws some controls (select arrows, checks) as data: SVG images.
        "img-src": [SELF, "data:"],
        "font-src": [SELF],
        "connect-src": [SELF],
        "form-action": [SELF],
        "frame-ancestors": [NONE],
        "object-src": [NONE],
        "base-uri": [NONE],
    }
}
X_FRAME_OPTIONS = "DENY"
SECURE_CONTENT_TYPE_NOSNIFF = True
SECURE_REFERRER_POLICY = "same-origin"
SESSION_COOKIE_HTTPONLY = True
if not DEBUG and not TESTING:
    SECURE_SSL_REDIRECT = env.bool("SECURE_SSL_REDIRECT", default=True)
    SESSION_COOKIE_SECURE = True
    CSRF_COOKIE_SECURE = True
    SECURE_HSTS_SECONDS = env.int("SECURE_HSTS_SECONDS", default=31536000)
    SECURE_HSTS_INCLUDE_SUBDOMAINS = True
    SECURE_HSTS_PRELOAD = env.bool("SECURE_HSTS_PRELOAD", default=True)
    if env.bool("BEHIND_TLS_PROXY", default=False):
        SECURE_PROXY_SSL_HEADER = ("HTTP_X_FORWARDED_PROTO", "https")
SILENCED_SYSTEM_CHECKS = env.list("SILENCED_SYSTEM_CHECKS", default=[])
if DATABASES["default"]["ENGINE"].endswith("sqlite3"):
    # The dashboard's running-total constraints are PostgreSQL-only; on SQLite (a newcomer's
    # first run) the dashboard counts the raw contacts instead, so the warning is noise.
    SILENCED_SYSTEM_CHECKS.append("models.W039")
# Behind a proxy every visitor has the proxy's address: rate limits must read the header the
# proxy sets, or all visitors share one limit.
RATELIMIT_IP_META_KEY = env.str("RATELIMIT_IP_META_KEY", default="REMOTE_ADDR")

LOGGING = {
    "version": 1,
    "disable_existing_loggers": False,
    "formatters": {"plain": {"format": "%(levelname)s %(name)s: %(message)s"}},
    # Tracking codes never reach a log: on the loggers that print request paths (so any
    # handler added later gets the redacted record) and on the console for everything else.
    "filters": {"redact_tracking_codes": {"()": "bridge.logs.RedactTrackingCodes"}},
    "handlers": {
        "console": {
            "class": "logging.StreamHandler",
            "formatter": "plain",
            "filters": ["redact_tracking_codes"],
        }
    },
    "root": {"handlers": ["console"], "level": env.str("LOG_LEVEL", default="INFO")},
    "loggers": {
        # Django's own handler already prints these; don't print them twice through root.
        "django": {"handlers": ["console"], "level": "INFO", "propagate": False},
        "django.request": {"filters": ["redact_tracking_codes"]},
        "django.server": {
            "handlers": ["console"],
            "level": "INFO",
            "propagate": False,
            "filters": ["redact_tracking_codes"],
        },
        "django.db.backends": {"level": "WARNING"},
        # django-axes says at INFO that it started and that each sign-in was checked.
        "axes": {"level": "WARNING"},
    },
}

# --- Bridge's own settings -------------------------------------------------------------
# A deployment's own name is shown as given; the default name is translated for each reader.
BRIDGE_UNIT_NAME = env.str("BRIDGE_UNIT_NAME", default="") or _("Community Liaison Unit")
EMERGENCY_NUMBER = env.str("EMERGENCY_NUMBER", default="911")
# The field app flags a contact or attendance kept on a device this many days without being
# sent, so the liaison checks it before it counts (static/js/offline.js).
BRIDGE_OFFLINE_STALE_DAYS = env.int("BRIDGE_OFFLINE_STALE_DAYS", default=3)
# Agencies: the slug of the agency an upgrade moved the existing records into (also the one
# any host name that is no agency's own serves), and the domain under which <slug>.<domain>
# serves each agency (e.g. bridge.example-county.gov; empty: agencies use their own host names).
BRIDGE_DEFAULT_AGENCY = env.str("BRIDGE_DEFAULT_AGENCY", default="main")
BRIDGE_AGENCY_DOMAIN = env.str("BRIDGE_AGENCY_DOMAIN", default="").lower().strip(".")
# Services that tests need fail instead of skipping when this is set (CI sets it).
BRIDGE_REQUIRE_SERVICES = env.bool("BRIDGE_REQUIRE_SERVICES", default=False)

# --- Messaging (the outbox) ------------------------------------------------------------
EMAIL_FILE_PATH = env.str("EMAIL_FILE_PATH", default=globals().get("EMAIL_FILE_PATH", str(VAR_DIR / "mail")))
SMS_BACKEND = env.str("SMS_BACKEND", default="messaging.sms.FileSMSBackend")
SMS_FILE_PATH = env.str("SMS_FILE_PATH", default=str(VAR_DIR / "sms"))
TWILIO_ACCOUNT_SID = env.str("TWILIO_ACCOUNT_SID", default="")
TWILIO_AUTH_TOKEN = env.str("TWILIO_AUTH_TOKEN", default="")
TWILIO_FROM = env.str("TWILIO_FROM", default="")

# --- Liaison records --------------------------------------------------------------------
# First month of the reporting year (1 = January; many departments use 7 or 10).
BRIDGE_FISCAL_YEAR_START_MONTH = env.int("BRIDGE_FISCAL_YEAR_START_MONTH", default=1)
# Contacts each liaison is expected to make per quarter, unless a target is set in the admin.
BRIDGE_DEFAULT_QUARTERLY_TARGET = env.int("BRIDGE_DEFAULT_QUARTERLY_TARGET", default=36)
# modeltranslation's tabbed admin loads jQuery UI from a CDN unless told otherwise (the
# setting has no MODELTRANSLATION_ prefix): serve the npm copy ourselves.
JQUERY_UI_URL = "vendor/jquery-ui/jquery-ui.min.js"

# --- feedback ---
# Days after a concern closes (action taken, closed or not actionable) before its e-mail,
# phone, free text, place and internal notes are erased; the staff-written public response
# and summary, the status history and the statistics stay.
FEEDBACK_CONTACT_RETENTION_DAYS = env.int("FEEDBACK_CONTACT_RETENTION_DAYS", default=90)
# Region used to read phone numbers typed without a country code.
FEEDBACK_PHONE_REGION = env.str("FEEDBACK_PHONE_REGION", default="US")
# Per-address limits (django-ratelimit syntax) on new concerns and on tracking-code look-ups.
FEEDBACK_SUBMIT_RATE = env.str("FEEDBACK_SUBMIT_RATE", default="5/h")
FEEDBACK_TRACK_RATE = env.str("FEEDBACK_TRACK_RATE", default="30/h")
CELERY_BEAT_SCHEDULE["feedback-purge-concern-contacts"] = {
    "task": "feedback.purge_concern_contacts",
    "schedule": 24 * 60 * 60,  # daily; the purge is idempotent, so when in the day does not matter
}
# "Was it resolved?": asked this many days after a concern reaches "action taken", of a
# submitter who left an address (before FEEDBACK_CONTACT_RETENTION_DAYS erases it).
FEEDBACK_FOLLOWUP_DAYS = env.int("FEEDBACK_FOLLOWUP_DAYS", default=14)
CELERY_BEAT_SCHEDULE["feedback-queue-followups"] = {
    "task": "feedback.queue_followups",
    "schedule": 60 * 60,  # hourly; asking twice is impossible (one follow-up row per concern)
}
# The anonymous survey (surveys/): answers per visitor address (a meeting's venue Wi-Fi or a
# phone carrier's shared address can hold many people), and how long the same answer sent
# again from the same address is taken for a copy.
SURVEY_SUBMIT_RATE = env.str("SURVEY_SUBMIT_RATE", default="30/h")
SURVEY_DUPLICATE_SECONDS = env.int("SURVEY_DUPLICATE_SECONDS", default=600)
# Survey figures (and the resolved rate) are shown only for groups with at least this many.
SURVEY_MIN_RESPONSES = env.int("SURVEY_MIN_RESPONSES", default=10)
# --- end feedback ---

# --- outreach and messaging (issue 4) ---
# Outbox: how a row is retried and recovered (see messaging/services.py).
EMAIL_TIMEOUT = env.int("EMAIL_TIMEOUT", default=globals().get("EMAIL_TIMEOUT") or 30)
SMS_MAX_SEGMENTS = env.int("SMS_MAX_SEGMENTS", default=3)  # GSM-7 160/153, UCS-2 (Arabic, Nepali) 70/67
MESSAGING_MAX_ATTEMPTS = env.int("MESSAGING_MAX_ATTEMPTS", default=5)
MESSAGING_RETRY_BASE_SECONDS = env.int("MESSAGING_RETRY_BASE_SECONDS", default=30)  # then x2 each time
MESSAGING_RETRY_MAX_SECONDS = env.int("MESSAGING_RETRY_MAX_SECONDS", default=3600)
MESSAGING_QUEUED_GRACE_SECONDS = env.int("MESSAGING_QUEUED_GRACE_SECONDS", default=30)
# The send tasks' own time limits (messaging/tasks.py). A batch starts no new message after
# MESSAGING_BATCH_SECONDS and hands the rest to a new task; the gap up to the soft limit is
# room for one slow message. A soft limit mid-send leaves the row 'sending' for the sweep.
MESSAGING_BATCH_SECONDS = env.float("MESSAGING_BATCH_SECONDS", default=20)
MESSAGING_SEND_SOFT_TIME_LIMIT = env.float("MESSAGING_SEND_SOFT_TIME_LIMIT", default=120)
MESSAGING_SEND_TIME_LIMIT = env.float("MESSAGING_SEND_TIME_LIMIT", default=150)
# Longer than MESSAGING_SEND_TIME_LIMIT: a row 'sending' for longer lost its worker.
MESSAGING_SENDING_TIMEOUT_SECONDS = env.int("MESSAGING_SENDING_TIMEOUT_SECONDS", default=300)
# Handed to the broker but still queued after this long: its task was lost (say, in a batch
# whose worker died); the sweep hands the row out again (a row is claimed once, whatever).
MESSAGING_REDISPATCH_SECONDS = env.int("MESSAGING_REDISPATCH_SECONDS", default=300)
# A fan-out is handed out this many rows a task (messaging.send_batch).
MESSAGING_DISPATCH_BATCH = env.int("MESSAGING_DISPATCH_BATCH", default=50)
MESSAGING_SWEEP_SECONDS = env.float("MESSAGING_SWEEP_SECONDS", default=60)
CELERY_BEAT_SCHEDULE["messaging-sweep-outbox"] = {
    "task": "messaging.sweep_outbox",
    "schedule": MESSAGING_SWEEP_SECONDS,
}
# Days after which a sent, failed or unconfirmed outbox row's address is erased (the row stays).
MESSAGING_ADDRESS_RETENTION_DAYS = env.int("MESSAGING_ADDRESS_RETENTION_DAYS", default=90)
CELERY_BEAT_SCHEDULE["messaging-expire-addresses"] = {
    "task": "messaging.expire_addresses",
    "schedule": 24 * 60 * 60,  # daily; idempotent, so when in the day does not matter
}
# The dashboard's running totals: how often the deltas the triggers append are folded into the
# totals (dashboard/rollup.py). Readers add the deltas, so this only bounds their size.
DASHBOARD_COMPACT_SECONDS = env.float("DASHBOARD_COMPACT_SECONDS", default=60)
CELERY_BEAT_SCHEDULE["dashboard-compact-totals"] = {
    "task": "dashboard.compact_totals",
    "schedule": DASHBOARD_COMPACT_SECONDS,
}
# Meeting notices.
OUTREACH_REMINDER_HOURS = env.int("OUTREACH_REMINDER_HOURS", default=24)
OUTREACH_REMINDER_SWEEP_SECONDS = env.float("OUTREACH_REMINDER_SWEEP_SECONDS", default=300)
OUTREACH_CONFIRM_HOURS = env.int("OUTREACH_CONFIRM_HOURS", default=72)
OUTREACH_PHONE_REGION = env.str("OUTREACH_PHONE_REGION", default="US")  # for numbers typed without +
OUTREACH_SIGNUPS_RATE = env.str(
    "OUTREACH_SIGNUPS_RATE", default="10/h"
)  # sign-ups per address (django-ratelimit)
# Keyword replies (STOP, START, HELP) Bridge answers per phone number: a loop with another
# machine's auto-reply stops here. STOP and START are still done beyond it, only unanswered.
OUTREACH_SMS_REPLY_RATE = env.str("OUTREACH_SMS_REPLY_RATE", default="10/h")
CELERY_BEAT_SCHEDULE["outreach-send-due-reminders"] = {
    "task": "outreach.send_due_reminders",
    "schedule": OUTREACH_REMINDER_SWEEP_SECONDS,
}
CELERY_BEAT_SCHEDULE["outreach-purge-unconfirmed"] = {
    "task": "outreach.purge_unconfirmed_subscribers",
    "schedule": 60 * 60,
}
# --- end outreach and messaging ---

# --- dashboard ---
# A concern still open with no public response after this many days is listed on the
# commander dashboard as waiting too long.
BRIDGE_DASHBOARD_CONCERN_STALE_DAYS = env.int("BRIDGE_DASHBOARD_CONCERN_STALE_DAYS", default=14)
# Exports (dashboard/services.py): a contacts export of more rows than this runs as a Celery
# job writing a file to STORAGES["exports"]; smaller ones are sent in the request, well within
# gunicorn's timeout (bridge/gunicorn_conf.py).
EXPORT_INLINE_ROWS = env.int("EXPORT_INLINE_ROWS", default=5000)
EXPORT_LINK_HOURS = env.int("EXPORT_LINK_HOURS", default=24)  # how long a download link works
EXPORT_KEEP_DAYS = env.int("EXPORT_KEEP_DAYS", default=30)  # then the job's row goes too
EXPORT_PROGRESS_ROWS = env.int("EXPORT_PROGRESS_ROWS", default=10000)  # progress saved this often
EXPORT_SOFT_TIME_LIMIT = env.int("EXPORT_SOFT_TIME_LIMIT", default=1800)
EXPORT_TIME_LIMIT = env.int("EXPORT_TIME_LIMIT", default=1900)  # below the broker's visibility timeout
# Queued this long with no worker taking it (broker down at the time), or running with no
# progress this long (its worker died): the sweep hands the job out again.
EXPORT_REDISPATCH_SECONDS = env.int("EXPORT_REDISPATCH_SECONDS", default=300)
CELERY_BEAT_SCHEDULE["dashboard-sweep-exports"] = {
    "task": "dashboard.sweep_exports",
    "schedule": env.float("EXPORT_SWEEP_SECONDS", default=300),
}
# --- end dashboard ---

# --- audit ---
# Audit-trail entries (and django-auditlog diffs) older than this are deleted daily: six years.
AUDIT_RETENTION_DAYS = env.int("AUDIT_RETENTION_DAYS", default=2190)
CELERY_BEAT_SCHEDULE["audit-purge-old-entries"] = {
    "task": "audit.purge_old_entries",
    "schedule": 24 * 60 * 60,
}
# The models django-auditlog follows (field-by-field diffs on the trail). Nothing personal
# about community members: concerns and subscribers are written by the public, so they are
# not followed at all (an anonymous submitter's address must not land in a diff); staff
# actions on concerns are explicit events instead. Staff notes are followed without their text.
AUDITLOG_INCLUDE_TRACKING_MODELS = (
    {
        "model": "auth.user",
        "m2m_fields": ["groups", "user_permissions"],
        "exclude_fields": ["password", "last_login"],
    },
    {"model": "auth.group", "m2m_fields": ["permissions"]},
    {"model": "liaison.contact", "m2m_fields": ["communities", "topics"]},
    # Attendance counts, from the page or sent later by the field app (a correction too).
    {"model": "outreach.eventattendance"},
    {"model": "feedback.internalnote", "exclude_fields": ["text"]},
)
AUDITLOG_STORE_JSON_CHANGES = True
# --- end audit ---

# --- api ---
# The REST API and Open311 GeoReport v2 (api/). Tokens are personal, scoped and expire.
API_TOKEN_MAX_DAYS = env.int("API_TOKEN_MAX_DAYS", default=365)
# Calls per token, and per address on the public read API (DRF's syntax: "120/min").
API_TOKEN_RATE = env.str("API_TOKEN_RATE", default="120/min")
API_PUBLIC_RATE = env.str("API_PUBLIC_RATE", default="60/min")
REST_FRAMEWORK = {
    "DEFAULT_AUTHENTICATION_CLASSES": ["api.authentication.TokenAuthentication"],
    "DEFAULT_PERMISSION_CLASSES": [],
    "DEFAULT_RENDERER_CLASSES": ["rest_framework.renderers.JSONRenderer"],
    "DEFAULT_PARSER_CLASSES": [
        "rest_framework.parsers.JSONParser",
        "rest_framework.parsers.FormParser",
    ],
    "DEFAULT_SCHEMA_CLASS": "drf_spectacular.openapi.AutoSchema",
    "EXCEPTION_HANDLER": "api.errors.exception_handler",
    "DEFAULT_THROTTLE_RATES": {"token": API_TOKEN_RATE, "public": API_PUBLIC_RATE},
    "UNAUTHENTICATED_USER": "django.contrib.auth.models.AnonymousUser",
    "UNICODE_JSON": True,
    # The address names the format (Open311's .json and .xml); no ?format= beside it.
    "URL_FORMAT_OVERRIDE": None,
}
SPECTACULAR_SETTINGS = {
    "TITLE": "Bridge API",
    "DESCRIPTION": (
        "Staff integrations (personal access tokens with scopes), the public read API for "
        "partner websites, and Open311 GeoReport v2 with a locale extension. Every call takes "
        "`locale` (BCP 47) or Accept-Language and answers in that language."
    ),
    "VERSION": "1",
    "SERVE_INCLUDE_SCHEMA": False,
    "SERVE_PERMISSIONS": [],
    "SERVE_AUTHENTICATION": [],
    "PREPROCESSING_HOOKS": ["api.schema.only_json"],
    "COMPONENT_SPLIT_REQUEST": True,
    # Open311 answers errors as a list, as its specification has it.
    "ENABLE_LIST_MECHANICS_ON_NON_2XX": True,
    "ENUM_NAME_OVERRIDES": {},
}
# CORS for reads only, and only on the public read API.
CORS_URLS_REGEX = r"^/api/v1/public/.*$"
CORS_ALLOW_ALL_ORIGINS = True
CORS_ALLOW_METHODS = ["GET", "HEAD", "OPTIONS"]
CORS_ALLOW_CREDENTIALS = False
# --- end api ---
