"""Settings, twelve-factor: everything that differs between installs comes from ``LAUREL_*``.

| variable | default | meaning |
|---|---|---|
| LAUREL_VAR_DIR | <repo>/var | the SQLite file, media, the demo's secret key |
| LAUREL_DATABASE_URL | sqlite:///<repo>/var/laurel.sqlite3 | any URL dj-database-url reads |
| LAUREL_REDIS_URL | unset | Redis cache, broker; unset: memory (shared cache: DB), inline tasks |
| LAUREL_SECRET_KEY | <var>/secret_key (mode 0600), else required unless debug | SECRET_KEY |
| LAUREL_DEBUG | false | development mode |
| LAUREL_ALLOWED_HOSTS | localhost,127.0.0.1 and LAUREL_PUBLIC_URL's host | comma-separated |
| LAUREL_PUBLIC_URL | http://127.0.0.1:8000 | the site's public address (certificate QR codes) |
| LAUREL_MEDIA_ROOT | <repo>/var/media | Django's MEDIA_ROOT; Laurel keeps no file there |
| LAUREL_PRIVATE_MEDIA_ROOT | <repo>/var/private | every media file (served only by the app) |
| LAUREL_TIME_ZONE | Asia/Shanghai | display time zone (UTC is stored) |
| LAUREL_HTTPS | true unless debug | cookies secure, HSTS, redirect to https |
| LAUREL_SESSION_IDLE_MINUTES | 30 | a session ends after this long without a request |
| LAUREL_MESSAGE_BACKEND | console | dotted path of the SMS/e-mail backend |
| LAUREL_MESSAGE_KEY | from SECRET_KEY | encrypts codes and links in queued messages (HKDF) |
| LAUREL_MESSAGE_CONSOLE_CLEAR | false | the console backend prints codes in clear (the demo only) |
| LAUREL_SMS_* | unset | HttpSmsBackend's gateway: URL, keys, templates (docs/operations.md) |
| LAUREL_IDENTITY_KEY | from SECRET_KEY | keys the stored hashes of codes, numbers, people (HKDF) |
| LAUREL_TICKET_KEY | from SECRET_KEY | seals ticket-signing keys, keys typed codes (HKDF) |
| LAUREL_CODES_PER_NUMBER_PER_DAY | 10 | one-time codes (paid SMS) one number is sent in 24 hours |
| LAUREL_CODES_PER_ADDRESS_PER_DAY | 30 | one-time codes one client address asks for in 24 hours |
| LAUREL_VERIFIED_MINUTES | 30 | how long a person verified by a code stays verified |
| LAUREL_PASSWORD_MIN_LENGTH | 8 | staff and judge passwords (等保 2.0 level 2) |
| LAUREL_PASSWORD_MIN_CLASSES | 3 | of upper, lower, digit, symbol |
| LAUREL_LOGIN_FAILURE_LIMIT | 5 | failed log-ins from one address before the account locks there |
| LAUREL_LOGIN_LOCKOUT_MINUTES | 15 | the first lockout; each next one of a pair twice as long |
| LAUREL_TRUSTED_PROXIES | empty | proxies whose X-Forwarded-For is read: addresses, CIDR networks |
| LAUREL_PHOTO_MAX_BYTES | 52428800 | photos larger than this are refused |
| LAUREL_PHOTO_MAX_PIXELS | 100000000 | photos with more pixels are refused from the header |
| LAUREL_PHOTO_MIN_LONG_EDGE | 0 | photos with a shorter long edge are refused |
| LAUREL_UNCLAIMED_UPLOAD_HOURS | 24 | an upload no entry uses is deleted after this long |
| LAUREL_UNCLAIMED_UPLOADS_PER_USER | 50 | unclaimed uploads one user may hold at once |
| LAUREL_UPLOADS_PER_HOUR | 200 | uploads one user may send to /media/upload/ per hour |
| LAUREL_IDEMPOTENCY_DAYS | 7 | an idempotency key and the answer kept for it last this long |
"""

import ipaddress
import json
import os
from datetime import timedelta
from pathlib import Path
from urllib.parse import urlsplit

import dj_database_url
from django.core.exceptions import ImproperlyConfigured

from laurel import periodic

PACKAGE_DIR = Path(__file__).resolve().parent
# The checkout's root (src/laurel/../..); var/ beside it holds the SQLite file and media.
REPO_DIR = PACKAGE_DIR.parent.parent
VAR_DIR = Path(os.environ.get("LAUREL_VAR_DIR", REPO_DIR / "var"))


def env_bool(name: str, default: bool) -> bool:
    value = os.environ.get(name)
    if value is None or value == "":
        return default
    if value.lower() in {"1", "true", "yes", "on"}:
        return True
    if value.lower() in {"0", "false", "no", "off"}:
        return False
    raise ImproperlyConfigured(f"{name}={value!r} is not a boolean (use true or false).")


def env_int(name: str, default: int) -> int:
    value = os.environ.get(name)
    if not value:
        return default
    try:
        return int(value)
    except ValueError:
        raise ImproperlyConfigured(f"{name}={value!r} is not a whole number.") from None


def env_list(name: str, default: str) -> list[str]:
    return [item.strip() for item in os.environ.get(name, default).split(",") if item.strip()]


def env_networks(name: str) -> tuple[ipaddress.IPv4Network | ipaddress.IPv6Network, ...]:
    """Comma-separated addresses and CIDR networks (an address is a network of one)."""
    networks = []
    for item in env_list(name, ""):
        try:
            networks.append(ipaddress.ip_network(item, strict=False))
        except ValueError:
            raise ImproperlyConfigured(
                f"{name}: {item!r} is not an address or a network (such as 10.0.0.0/8)."
            ) from None
    return tuple(networks)


def env_json(name: str, default: dict) -> dict:
    """A JSON object (a template of a gateway's parameters, say)."""
    value = os.environ.get(name)
    if not value:
        return default
    try:
        parsed = json.loads(value)
    except ValueError:
        parsed = None
    if not isinstance(parsed, dict):
        raise ImproperlyConfigured(f"{name} is not a JSON object: {value[:80]!r}")
    return parsed


def secret_key_file_read(path: Path) -> str:
    """The key in ``path`` (``scripts/demo`` writes it, mode 0600), or "" if there is none.
    A key others may read is refused: it would be no secret."""
    try:
        mode = path.stat().st_mode
    except FileNotFoundError:
        return ""
    if mode & 0o077:
        raise ImproperlyConfigured(
            f"{path} may be read by other users: chmod 600 it, or set LAUREL_SECRET_KEY."
        )
    return path.read_text(encoding="utf-8").strip()


DEBUG = env_bool("LAUREL_DEBUG", False)
SECRET_KEY_FILE = VAR_DIR / "secret_key"
SECRET_KEY = os.environ.get("LAUREL_SECRET_KEY", "") or secret_key_file_read(SECRET_KEY_FILE)
if not SECRET_KEY:
    if not DEBUG:
        raise ImproperlyConfigured(
            f"Set LAUREL_SECRET_KEY (a long random string), or put one in {SECRET_KEY_FILE} "
            "(./scripts/demo makes it), or LAUREL_DEBUG=true for development."
        )
    SECRET_KEY = "laurel-development-only-not-secret"  # noqa: S105 - only ever used with DEBUG on
LAUREL_PUBLIC_URL = os.environ.get("LAUREL_PUBLIC_URL", "http://127.0.0.1:8000").rstrip("/")
# the public address's host is always one this site answers to (a phone on the intranet)
PUBLIC_HOST = urlsplit(LAUREL_PUBLIC_URL).hostname or ""
PUBLIC_HOST = f"[{PUBLIC_HOST}]" if ":" in PUBLIC_HOST else PUBLIC_HOST  # IPv6 as Django has it
ALLOWED_HOSTS = env_list("LAUREL_ALLOWED_HOSTS", f"localhost,127.0.0.1,{PUBLIC_HOST}")

INSTALLED_APPS = [
    "django.contrib.auth",
    "django.contrib.contenttypes",
    "django.contrib.sessions",
    "django.contrib.messages",
    "django.contrib.staticfiles",
    "django_htmx",
    "django_tables2",  # the one table of every list (web/tables.py)
    "django_filters",
    "axes",
    # Laurel's apps in their layers, lowest first: each imports only those before it
    # (tests/test_layers.py); the demo last, its loaders using every app.
    "laurel.web",
    "laurel.audit",
    "laurel.notifications",
    "laurel.orgs",
    "laurel.accounts",
    "laurel.members",
    "laurel.verification",
    "laurel.media",
    "laurel.contests",
    "laurel.judging",
    "laurel.awards",
    "laurel.events",
    "laurel.demo",
]

MIDDLEWARE = [
    "django.middleware.security.SecurityMiddleware",
    "laurel.web.middleware.ClientAddressMiddleware",  # what the audit log records as the client
    "csp.middleware.CSPMiddleware",  # every response, static files and error pages included
    # outermost of those that set cookies: it sees every Set-Cookie of the response
    "laurel.web.middleware.PublicResponseCookieGuardMiddleware",
    "whitenoise.middleware.WhiteNoiseMiddleware",
    "laurel.web.middleware.SignedInNoStoreMiddleware",  # reads request.user on the way out
    "django.contrib.sessions.middleware.SessionMiddleware",
    "laurel.web.middleware.ChosenLanguageMiddleware",
    "django.middleware.common.CommonMiddleware",
    "laurel.web.middleware.NulCharacterRefusalMiddleware",  # PostgreSQL stores no NUL: 400
    "django.middleware.csrf.CsrfViewMiddleware",
    "django.contrib.auth.middleware.AuthenticationMiddleware",
    "laurel.accounts.middleware.PasswordChangeRequiredMiddleware",
    "django.contrib.messages.middleware.MessageMiddleware",
    "django.middleware.clickjacking.XFrameOptionsMiddleware",
    "django_htmx.middleware.HtmxMiddleware",
    "axes.middleware.AxesMiddleware",
    "django_ratelimit.middleware.RatelimitMiddleware",  # a Ratelimited error → RATELIMIT_VIEW
]

ROOT_URLCONF = "laurel.urls"
WSGI_APPLICATION = "laurel.wsgi.application"

TEMPLATES = [
    {
        "BACKEND": "django.template.backends.django.DjangoTemplates",
        "DIRS": [],
        "APP_DIRS": True,
        "OPTIONS": {
            "context_processors": [
                "django.template.context_processors.request",
                "django.contrib.auth.context_processors.auth",
                "django.contrib.messages.context_processors.messages",
                "laurel.web.context_processors.shell",
            ],
        },
    },
]

# --- database ---------------------------------------------------------------------------
DATABASE_URL = os.environ.get("LAUREL_DATABASE_URL", "")
if not DATABASE_URL:
    VAR_DIR.mkdir(parents=True, exist_ok=True)
    DATABASE_URL = f"sqlite:///{VAR_DIR / 'laurel.sqlite3'}"
DATABASES = {"default": dj_database_url.parse(DATABASE_URL, conn_max_age=0)}
if DATABASES["default"]["ENGINE"] == "django.db.backends.sqlite3":
    DATABASES["default"]["OPTIONS"] = {
        # Writers take the lock when the transaction starts, so two writers never deadlock
        # upgrading read locks; WAL lets readers go on while one writes.
        "transaction_mode": "IMMEDIATE",
        "timeout": 20,
        "init_command": (
            "PRAGMA journal_mode=WAL; PRAGMA synchronous=NORMAL; PRAGMA foreign_keys=ON;"
        ),
    }
DEFAULT_AUTO_FIELD = "django.db.models.BigAutoField"

# --- cache and background work ----------------------------------------------------------
REDIS_URL = os.environ.get("LAUREL_REDIS_URL", "")
if REDIS_URL:
    CACHES = {
        "default": {
            "BACKEND": "django.core.cache.backends.redis.RedisCache",
            "LOCATION": REDIS_URL,
            "KEY_PREFIX": "laurel",
        },
        "shared": {  # rate limits, progress: Redis counts atomically for every worker
            "BACKEND": "django.core.cache.backends.redis.RedisCache",
            "LOCATION": REDIS_URL,
            "KEY_PREFIX": "laurel-shared",
        },
    }
    CELERY_BROKER_URL = REDIS_URL
    CELERY_RESULT_BACKEND = REDIS_URL
    CELERY_RESULT_EXPIRES = 24 * 60 * 60
    CELERY_TASK_ALWAYS_EAGER = False
else:
    CACHES = {
        # pages and facts kept for speed: each process may keep its own
        "default": {"BACKEND": "django.core.cache.backends.locmem.LocMemCache"},
        # what every worker must see alike (rate-limit counts, a background job's progress):
        # the database, with an exact incr (laurel/web/cache.py); its table comes with
        # `laurel migrate`
        "shared": {
            "BACKEND": "laurel.web.cache.CountingDatabaseCache",
            "LOCATION": "laurel_shared_cache",
            # expired keys are swept past this many; live counters are culled (their limits
            # reset) only if this many are live at once: Django's 300 would be reached soon
            "OPTIONS": {"MAX_ENTRIES": 100_000},
        },
    }
    # No broker: tasks run inline, in the request that queued them (after its commit).
    CELERY_BROKER_URL = "memory://"
    CELERY_TASK_ALWAYS_EAGER = True
    CELERY_TASK_EAGER_PROPAGATES = True
CELERY_TASK_SERIALIZER = "json"
CELERY_ACCEPT_CONTENT = ["json"]
CELERY_TASK_ACKS_LATE = True
CELERY_WORKER_PREFETCH_MULTIPLIER = 1
CELERY_BROKER_CONNECTION_RETRY_ON_STARTUP = True
# Periodic work, from the one registry (laurel/periodic.py): Celery beat runs it where a
# broker is configured; `laurel periodic` (from cron) runs the jobs that are due otherwise.
CELERY_BEAT_SCHEDULE = periodic.beat_schedule()
PERIODIC_STATE_FILE = VAR_DIR / "periodic.json"  # when `laurel periodic` last ran each job

# --- accounts -------------------------------------------------------------------------------
AUTH_USER_MODEL = "accounts.User"
AUTHENTICATION_BACKENDS = [
    # Axes first: it refuses a locked-out account before any password is checked.
    "axes.backends.AxesStandaloneBackend",
    "laurel.accounts.backends.UsernameOrMobileBackend",
]
LOGIN_URL = "accounts:login"
LOGIN_REDIRECT_URL = "web:home"
LOGOUT_REDIRECT_URL = "web:home"
AUTH_PASSWORD_VALIDATORS = [
    {"NAME": "django.contrib.auth.password_validation.UserAttributeSimilarityValidator"},
    {"NAME": "django.contrib.auth.password_validation.CommonPasswordValidator"},
    {"NAME": "django.contrib.auth.password_validation.NumericPasswordValidator"},
    {
        "NAME": "laurel.accounts.validators.PasswordPolicyValidator",
        "OPTIONS": {
            "staff_min_length": env_int("LAUREL_PASSWORD_MIN_LENGTH", 8),
            "staff_min_classes": env_int("LAUREL_PASSWORD_MIN_CLASSES", 3),
            "member_min_length": 8,
            "member_min_classes": 2,
        },
    },
]
SESSION_COOKIE_AGE = env_int("LAUREL_SESSION_IDLE_MINUTES", 30) * 60
SESSION_SAVE_EVERY_REQUEST = True  # each request pushes expiry on: the timeout is an idle one
SESSION_EXPIRE_AT_BROWSER_CLOSE = True
INVITATION_VALID_DAYS = 7
PASSWORD_RESET_CODE_MINUTES = 15
PASSWORD_RESET_MAX_TRIES = 5
# One-time codes (laurel/accounts/codes.py), for resets and for people verified without an
# account (laurel/verification): each is a paid SMS, so sends are spaced and capped.
ONE_TIME_CODE_RESEND_SECONDS = 60
CODES_PER_NUMBER_PER_DAY = env_int("LAUREL_CODES_PER_NUMBER_PER_DAY", 10)
CODES_PER_ADDRESS_PER_DAY = env_int("LAUREL_CODES_PER_ADDRESS_PER_DAY", 30)
VERIFICATION_CODE_MINUTES = 10
VERIFICATION_CODE_MAX_TRIES = 5
VERIFIED_MINUTES = env_int("LAUREL_VERIFIED_MINUTES", 30)
# Codes, the numbers they go to and identities kept for later checks are stored as HMACs
# under keys derived from this by HKDF (laurel/accounts/keyed_hashes.py); unset, from
# SECRET_KEY. Changing it forgets the identities kept (one vote per person) and live codes.
IDENTITY_KEY = os.environ.get("LAUREL_IDENTITY_KEY", "")
# Each event's private ticket-signing key (Ed25519) is stored sealed (Fernet) under a key
# derived from this by HKDF, and tickets' typed codes are found by HMACs under it
# (laurel/events/keys.py); unset, from SECRET_KEY. Changing it makes every ticket unreadable.
TICKET_KEY = os.environ.get("LAUREL_TICKET_KEY", "")

# Log-in lockout (laurel/accounts/lockout.py): failures are counted per account AND address.
# Not per account alone: a stranger's five wrong passwords would lock the admin out. Not per
# address alone: union offices share one NAT address, and one person's typing would lock the
# whole office out. Request rates per address come from django-ratelimit on the views. The
# address, for axes and django-ratelimit alike, is laurel/web/client_address.py's: REMOTE_ADDR,
# or X-Forwarded-For's right-most address that is not a proxy of TRUSTED_PROXIES, only when
# REMOTE_ADDR is one of them: a header sent straight from outside is never believed.
TRUSTED_PROXIES = env_networks("LAUREL_TRUSTED_PROXIES")
AXES_CLIENT_IP_CALLABLE = "laurel.web.client_address.client_address"
AXES_FAILURE_LIMIT = env_int("LAUREL_LOGIN_FAILURE_LIMIT", 5)
AXES_LOCKOUT_PARAMETERS = [["username", "ip_address"]]
AXES_HANDLER = "laurel.accounts.lockout.LockoutHandler"
AXES_COOLOFF_TIME = "laurel.accounts.lockout.lockout_duration"  # doubles with each lockout
LOGIN_LOCKOUT_FIRST = timedelta(minutes=env_int("LAUREL_LOGIN_LOCKOUT_MINUTES", 15))
LOGIN_LOCKOUT_LONGEST = timedelta(hours=24)
LOGIN_LOCKOUT_MEMORY = timedelta(hours=24)  # earlier lockouts of a pair count for this long
AXES_RESET_ON_SUCCESS = True
AXES_USERNAME_CALLABLE = "laurel.accounts.backends.login_identity"
AXES_LOCKOUT_CALLABLE = "laurel.accounts.views.public.locked_out"
AXES_VERBOSE = False

RATELIMIT_VIEW = "laurel.web.views.public.rate_limited"
RATELIMIT_USE_CACHE = "shared"  # shared by all worker processes (see CACHES)
RATELIMIT_IP_META_KEY = "laurel.web.client_address.client_address_required"  # key="ip"

MESSAGE_BACKEND = os.environ.get(
    "LAUREL_MESSAGE_BACKEND", "laurel.notifications.backends.ConsoleBackend"
)
# Queued messages keep their full text (codes, links, passwords) encrypted with a key derived
# from this by HKDF; unset, from SECRET_KEY. Changing it makes undelivered messages unreadable.
MESSAGE_KEY = os.environ.get("LAUREL_MESSAGE_KEY", "")
# The console backend prints codes masked; the demo shows them (its users read their codes
# there). Never in production: whoever reads the output would read the codes.
MESSAGE_CONSOLE_CLEAR = env_bool("LAUREL_MESSAGE_CONSOLE_CLEAR", False)
# HttpSmsBackend (laurel/notifications/backends.py): a generic HTTP gateway as Chinese SMS
# providers take it. The parameters, headers and template parameters are JSON templates whose
# strings may hold {mobile} {sign_name} {template_id} {template_params} {app_key} {app_secret}
# {token} {timestamp} {nonce}; the template parameters {code} and {text} (docs/operations.md).
SMS_GATEWAY = {
    "url": os.environ.get("LAUREL_SMS_URL", ""),
    "format": os.environ.get("LAUREL_SMS_FORMAT", "json"),  # json | form
    "app_key": os.environ.get("LAUREL_SMS_APP_KEY", ""),
    "app_secret": os.environ.get("LAUREL_SMS_APP_SECRET", ""),
    "token": os.environ.get("LAUREL_SMS_TOKEN", ""),
    "sign_name": os.environ.get("LAUREL_SMS_SIGN_NAME", ""),
    "code_template_id": os.environ.get("LAUREL_SMS_CODE_TEMPLATE_ID", ""),
    "code_template_params": env_json("LAUREL_SMS_CODE_TEMPLATE_PARAMS", {"code": "{code}"}),
    "text_template_id": os.environ.get("LAUREL_SMS_TEXT_TEMPLATE_ID", ""),
    "text_template_params": env_json("LAUREL_SMS_TEXT_TEMPLATE_PARAMS", {"content": "{text}"}),
    "params": env_json(
        "LAUREL_SMS_PARAMS",
        {
            "mobile": "{mobile}",
            "sign_name": "{sign_name}",
            "template_id": "{template_id}",
            "template_params": "{template_params}",
        },
    ),
    "headers": env_json("LAUREL_SMS_HEADERS", {}),
    # where the provider's answer says success (a dotted path into its JSON; empty: the HTTP
    # status alone) and the values that mean it
    "result_field": os.environ.get("LAUREL_SMS_RESULT_FIELD", "code"),
    "result_ok": env_list("LAUREL_SMS_RESULT_OK", "0,OK"),
    "timeout": env_int("LAUREL_SMS_TIMEOUT_SECONDS", 10),
}

# --- language and time ----------------------------------------------------------------------
LANGUAGE_CODE = "zh-hans"
LANGUAGES = [("zh-hans", "简体中文"), ("en", "English")]
LOCALE_PATHS = [PACKAGE_DIR / "locale"]
USE_I18N = True
USE_TZ = True
TIME_ZONE = os.environ.get("LAUREL_TIME_ZONE", "Asia/Shanghai")

# --- files --------------------------------------------------------------------------------
STATIC_URL = "/static/"
STATIC_ROOT = VAR_DIR / "static"
# Browser libraries from npm (package-lock.json; set-up runs npm ci), served as our own files:
# zxing-wasm's QR reader (the script and its WebAssembly) under static/vendor/zxing-wasm/,
# @noble/ed25519 (a ticket's signature checked offline) under static/vendor/noble-ed25519/.
NODE_MODULES_DIR = REPO_DIR / "node_modules"
STATICFILES_DIRS = [
    ("vendor/zxing-wasm", NODE_MODULES_DIR / "zxing-wasm" / "dist" / "iife" / "reader"),
    ("vendor/zxing-wasm", NODE_MODULES_DIR / "zxing-wasm" / "dist" / "reader"),
    ("vendor/noble-ed25519", NODE_MODULES_DIR / "@noble" / "ed25519"),
    ("vendor/sortablejs", NODE_MODULES_DIR / "sortablejs"),  # the programme's drag to reorder
]
MEDIA_URL = "/media/"
MEDIA_ROOT = Path(os.environ.get("LAUREL_MEDIA_ROOT", VAR_DIR / "media"))
# Every media file (originals, all renditions): never under MEDIA_ROOT, served only by the app
# (thumbnails and display copies of published works to anyone, the rest by signed URLs).
PRIVATE_MEDIA_ROOT = Path(os.environ.get("LAUREL_PRIVATE_MEDIA_ROOT", VAR_DIR / "private"))
STORAGES = {
    "default": {"BACKEND": "django.core.files.storage.FileSystemStorage"},
    "private": {
        "BACKEND": "django.core.files.storage.FileSystemStorage",
        "OPTIONS": {"location": PRIVATE_MEDIA_ROOT, "base_url": None},
    },
    "staticfiles": {"BACKEND": "whitenoise.storage.CompressedManifestStaticFilesStorage"},
}

# --- security -----------------------------------------------------------------------------
HTTPS = env_bool("LAUREL_HTTPS", not DEBUG)
SESSION_COOKIE_SECURE = HTTPS
CSRF_COOKIE_SECURE = HTTPS
SECURE_SSL_REDIRECT = HTTPS
SECURE_HSTS_SECONDS = 60 * 60 * 24 * 365 if HTTPS else 0
SECURE_HSTS_INCLUDE_SUBDOMAINS = HTTPS
SECURE_HSTS_PRELOAD = HTTPS
# Behind a reverse proxy that terminates TLS and says so in X-Forwarded-Proto.
SECURE_PROXY_SSL_HEADER = ("HTTP_X_FORWARDED_PROTO", "https") if HTTPS else None
SESSION_COOKIE_HTTPONLY = True
X_FRAME_OPTIONS = "DENY"
SECURE_REFERRER_POLICY = "same-origin"
# Content Security Policy (django-csp 4): everything from this site, nothing inline. No
# 'unsafe-inline' even for style attributes: charts take their widths and places from the
# classes of app.css (laurel.web.charts), so a style= in a template is a bug, and a test
# (tests/web/test_csp.py) scans the templates for it, for inline scripts and on…= handlers.
# No data: images (the certificate's QR code is drawn only into the PDF, not a page).
CONTENT_SECURITY_POLICY = {
    "DIRECTIVES": {
        "default-src": ["'none'"],
        # The gate page alone adds 'wasm-unsafe-eval' for its QR reader (events/scanner.py).
        "script-src": ["'self'"],
        "style-src": ["'self'"],
        "img-src": ["'self'"],
        "font-src": ["'self'"],
        "connect-src": ["'self'"],
        "object-src": ["'none'"],
        "base-uri": ["'self'"],
        "form-action": ["'self'"],
        "frame-ancestors": ["'none'"],
    }
}

LOGGING = {
    "version": 1,
    "disable_existing_loggers": False,
    # every record's message loses personal numbers and secret path segments (web/access_log.py)
    "filters": {"secrets": {"()": "laurel.web.access_log.SecretsLogFilter"}},
    "handlers": {"console": {"class": "logging.StreamHandler", "filters": ["secrets"]}},
    "root": {"handlers": ["console"], "level": "WARNING"},
    "loggers": {"laurel": {"handlers": ["console"], "level": "INFO", "propagate": False}},
}

# Photo safety limits (laurel.core.photos.Limits); a contest may ask for less per call.
LAUREL_PHOTO_LIMITS = {
    "max_bytes": int(os.environ.get("LAUREL_PHOTO_MAX_BYTES", 50 * 1024 * 1024)),
    "max_pixels": int(os.environ.get("LAUREL_PHOTO_MAX_PIXELS", 100_000_000)),
    "min_long_edge": int(os.environ.get("LAUREL_PHOTO_MIN_LONG_EDGE", 0)),
}
# Uploads no entry claims are never public and expire; each user holds a few at a time.
LAUREL_UNCLAIMED_UPLOAD_HOURS = env_int("LAUREL_UNCLAIMED_UPLOAD_HOURS", 24)
LAUREL_UNCLAIMED_UPLOADS_PER_USER = env_int("LAUREL_UNCLAIMED_UPLOADS_PER_USER", 50)
LAUREL_UPLOADS_PER_HOUR = env_int("LAUREL_UPLOADS_PER_HOUR", 200)
# A request sent twice with one idempotency key gets the first answer for this long
# (laurel/web/idempotency.py); after it, the key is forgotten.
IDEMPOTENCY_DAYS = env_int("LAUREL_IDEMPOTENCY_DAYS", 7)
