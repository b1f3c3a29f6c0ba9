"""One settings module, read from the environment.

Local defaults are safe and need no services (SQLite, DEBUG off unless asked). Set
DJANGO_ENV=production for a deployment: it refuses to start without SECRET_KEY and turns on
the HTTPS and cookie settings that `manage.py check --deploy` expects.
"""
from datetime import timedelta
from pathlib import Path
from urllib.parse import urlsplit

import environ
from django.core.exceptions import ImproperlyConfigured
from django.urls import reverse

BASE_DIR = Path(__file__).resolve().parent.parent

env = environ.Env()
environ.Env.read_env(BASE_DIR / ".env", overwrite=False)

PRODUCTION = env.str("DJANGO_ENV", default="development") == "production"
DEBUG = env.bool("DEBUG", default=False)

if PRODUCTION:
    if not env.str("SECRET_KEY", default=""):
        raise ImproperlyConfigured("DJANGO_ENV=production needs SECRET_KEY in the environment.")
    if DEBUG:
        raise ImproperlyConfigured("DEBUG must be off when DJANGO_ENV=production.")
SECRET_KEY = env.str("SECRET_KEY", default="local-development-only-not-secret")

ALLOWED_HOSTS = env.list("ALLOWED_HOSTS", default=["*"] if not PRODUCTION else [])
CSRF_TRUSTED_ORIGINS = env.list("CSRF_TRUSTED_ORIGINS", default=[])
# A refused form post answers with a page in the site's layout that says what to do.
CSRF_FAILURE_VIEW = "desk.views.errors.csrf_failure"

INSTALLED_APPS = [
    "django.contrib.admin",
    "django.contrib.auth",
    "django.contrib.contenttypes",
    "django.contrib.sessions",
    "django.contrib.messages",
    "whitenoise.runserver_nostatic",
    "django.contrib.staticfiles",
    "django.contrib.sitemaps",
    "csp",
    "reversion",
    "tinymce",
    # Accounts: failed logins throttled and logged (axes); two factors (django-otp: TOTP apps and
    # one-time recovery codes).
    "axes",
    "django_otp",
    "django_otp.plugins.otp_totp",
    "django_otp.plugins.otp_static",
    "cms",
    "articles",
    "reviews",
    "desk",
    "public",
]

# Where an article, a publication or a topic lives for readers. Set here, not in the models,
# because the articles app names no other app: the public site owns its addresses.
# The automated checks for this publisher (articles/checks/profiles.py): turn rules on or off,
# change a severity, allow a licensed medicine's brand, set the plain-language targets. Per
# article type under "types". The rules themselves are files in articles/checks/rules/.
CHECKS_PROFILE = {
    "plain_language": {"reading_age": [9, 11], "warn_above": 14, "long_sentence_words": 25},
    "types": {
        # A medicine article states what its medicine is licensed for: not a disease claim.
        "medicine": {"licensed_indication": True},
    },
}

ABSOLUTE_URL_OVERRIDES = {
    "articles.article": lambda article: reverse("public:detail", kwargs={"slug": article.slug}),
    "articles.publication": lambda publication: reverse("public:detail", kwargs={"slug": publication.slug}),
    "articles.topic": lambda topic: reverse("public:topic", kwargs={"slug": topic.slug}),
}

MIDDLEWARE = [
    "django.middleware.security.SecurityMiddleware",
    # A public page's revalidation answered from the cache, before everything below. A 304 only
    # refreshes the copy the client holds, which keeps that copy's Content-Security-Policy
    # (RFC 9111 4.3.4), so it needs no policy of its own: building one cost as much as the lookup.
    "public.middleware.NotModifiedMiddleware",
    # Outermost but two, so every page gets the policy, even one a middleware below answers itself.
    "cms.csp.ContentSecurityPolicyMiddleware",
    "cms.middleware.RejectNulMiddleware",  # a NUL in the address or a form: 400 before any view
    "whitenoise.middleware.WhiteNoiseMiddleware",
    "django.contrib.sessions.middleware.SessionMiddleware",
    "django.middleware.common.CommonMiddleware",
    "django.middleware.csrf.CsrfViewMiddleware",
    "django.contrib.auth.middleware.AuthenticationMiddleware",
    "django_otp.middleware.OTPMiddleware",
    "django.contrib.messages.middleware.MessageMiddleware",
    "desk.middleware.AccountSafetyMiddleware",
    "django.middleware.clickjacking.XFrameOptionsMiddleware",
    # Last, as django-axes asks: it turns a lockout raised during login into its answer.
    "axes.middleware.AxesMiddleware",
]

ROOT_URLCONF = "cms.urls"
WSGI_APPLICATION = "cms.wsgi.application"

TEMPLATES = [
    {
        "BACKEND": "django.template.backends.django.DjangoTemplates",
        "DIRS": [BASE_DIR / "templates"],
        "APP_DIRS": True,
        "OPTIONS": {
            "context_processors": [
                "django.template.context_processors.request",
                "django.contrib.auth.context_processors.auth",
                "django.contrib.messages.context_processors.messages",
                "desk.context_processors.inbox",
            ],
        },
    },
]

DATABASES = {"default": env.db("DATABASE_URL", default=f"sqlite:///{BASE_DIR / 'db.sqlite3'}")}
DATABASES["default"]["ATOMIC_REQUESTS"] = False
# In production each app process keeps its database connection for a minute: opening a PostgreSQL
# connection per request costs more than rendering the page (bench/README.md). Checked before reuse.
DATABASES["default"]["CONN_MAX_AGE"] = env.int("CONN_MAX_AGE", default=60 if PRODUCTION else 0)
DATABASES["default"]["CONN_HEALTH_CHECKS"] = True
if DATABASES["default"]["ENGINE"] == "django.db.backends.sqlite3":
    # Wait for a writer rather than failing at once when two requests save together.
    DATABASES["default"].setdefault("OPTIONS", {})["timeout"] = 20
if DATABASES["default"]["ENGINE"] == "django.db.backends.postgresql":
    # JIT compiles queries the planner costs as large: at 50,000 articles a desk count took 446 ms
    # with it and 14 ms without. A web request's queries are short; compiling never pays.
    options = DATABASES["default"].setdefault("OPTIONS", {})
    options["options"] = f"{options.get('options', '')} -c jit=off".strip()

DEFAULT_AUTO_FIELD = "django.db.models.BigAutoField"

if env.str("REDIS_URL", default=""):
    CACHES = {
        "default": {
            "BACKEND": "cms.cache.RedisCache",
            "LOCATION": env.str("REDIS_URL"),
        }
    }

# Public pages (articles, home, topics, people, search, feed, sitemap) send Cache-Control: public
# with this max-age, so browsers and a CDN serve most reads; after it, a cache may serve the old
# copy for PUBLIC_STALE_SECONDS more while it revalidates (ETag / Last-Modified, usually a 304).
# Editorial pages never send it. Kept short: an unpublished article leaves caches within minutes.
PUBLIC_CACHE_SECONDS = env.int("PUBLIC_CACHE_SECONDS", default=300)
PUBLIC_STALE_SECONDS = env.int("PUBLIC_STALE_SECONDS", default=60)
# Each public page is rendered once per version (its ETag) and kept this long in the cache; 0 turns
# that off (every request renders).
PUBLIC_PAGE_CACHE_SECONDS = env.int("PUBLIC_PAGE_CACHE_SECONDS", default=86400)

# Reader feedback (POST /articles/<slug>/feedback/): at most FEEDBACK_RATE_LIMIT reports from one
# client address (as the login lockout sees it: TRUSTED_PROXY_COUNT) in FEEDBACK_RATE_WINDOW_SECONDS
# from its first; more are answered 429 with when to try again. Counted in the cache: shared by
# every app server with REDIS_URL, per process without.
FEEDBACK_RATE_LIMIT = env.int("FEEDBACK_RATE_LIMIT", default=5)
FEEDBACK_RATE_WINDOW_SECONDS = env.int("FEEDBACK_RATE_WINDOW_SECONDS", default=600)

# The publisher every article's JSON-LD names (a schema.org Organization). Without PUBLISHER_URL,
# the site's home page at the address readers use.
PUBLISHER_NAME = env.str("PUBLISHER_NAME", default="Health articles")
PUBLISHER_URL = env.str("PUBLISHER_URL", default="")

# Links in notification emails (inbox lines keep only the path). scripts/run sets it to the address
# it serves on. Mail goes to the console unless EMAIL_URL names an SMTP server
# (for example smtp+tls://user:password@mail.example.org:587).
SITE_URL = env.str("SITE_URL", default="http://127.0.0.1:8000")
DEFAULT_FROM_EMAIL = env.str("DEFAULT_FROM_EMAIL", default="Health CMS <no-reply@localhost>")
if env.str("EMAIL_URL", default=""):
    vars().update(env.email_url("EMAIL_URL"))
else:
    EMAIL_BACKEND = "django.core.mail.backends.console.EmailBackend"

AUTH_PASSWORD_VALIDATORS = [
    {"NAME": "django.contrib.auth.password_validation.UserAttributeSimilarityValidator"},
    {"NAME": "django.contrib.auth.password_validation.MinimumLengthValidator"},
    {"NAME": "django.contrib.auth.password_validation.CommonPasswordValidator"},
    {"NAME": "django.contrib.auth.password_validation.NumericPasswordValidator"},
]
LOGIN_URL = "/accounts/login/"
LOGIN_REDIRECT_URL = "/editorial/"

# Every login goes through django-axes first: after AXES_FAILURE_LIMIT failures for one username,
# or from one address, further attempts are refused (429, templates/registration/locked_out.html)
# for AXES_COOLOFF_TIME; each failure is logged (axes' AccessFailureLog, and the "axes" logger).
AUTHENTICATION_BACKENDS = ["axes.backends.AxesStandaloneBackend", "django.contrib.auth.backends.ModelBackend"]
AXES_FAILURE_LIMIT = env.int("LOGIN_FAILURE_LIMIT", default=20)
AXES_COOLOFF_TIME = timedelta(minutes=env.int("LOGIN_LOCKOUT_MINUTES", default=30))
AXES_LOCKOUT_PARAMETERS = ["username", "ip_address"]  # either one, counted apart
AXES_LOCKOUT_TEMPLATE = "registration/locked_out.html"
AXES_RESET_ON_SUCCESS = True
AXES_ENABLE_ACCESS_FAILURE_LOG = True
# Behind a reverse proxy, the client's address is the one the proxy appends to X-Forwarded-For;
# set TRUSTED_PROXY_COUNT to the number of proxies in front of the site (0: no proxy, the
# connection's own address counts, and a client-sent X-Forwarded-For is ignored).
AXES_IPWARE_PROXY_COUNT = env.int("TRUSTED_PROXY_COUNT", default=0)
AXES_IPWARE_META_PRECEDENCE_ORDER = (
    ("HTTP_X_FORWARDED_FOR", "REMOTE_ADDR") if AXES_IPWARE_PROXY_COUNT else ("REMOTE_ADDR",))

# Two factors: reviewers and editors may enrol an authenticator app (with recovery codes) at
# /accounts/two-factor/; in production they must (TWO_FACTOR_REQUIRED). Writers may enrol.
TWO_FACTOR_REQUIRED = env.bool("TWO_FACTOR_REQUIRED", default=PRODUCTION)
OTP_TOTP_ISSUER = env.str("OTP_TOTP_ISSUER", default="Health CMS")
# Reviewers', editors' and staff sessions end after this long without a request; everyone's
# after SESSION_COOKIE_AGE (two weeks) at most.
SESSION_IDLE_TIMEOUT_SECONDS = env.int("SESSION_IDLE_TIMEOUT_SECONDS", default=30 * 60)
PASSWORD_RESET_TIMEOUT = env.int("PASSWORD_RESET_TIMEOUT", default=3 * 60 * 60)

LANGUAGE_CODE = "en-gb"
TIME_ZONE = env.str("TIME_ZONE", default="UTC")
USE_I18N = True
USE_TZ = True

STATIC_URL = "/static/"
STATIC_ROOT = BASE_DIR / "staticfiles"
STATICFILES_DIRS = [BASE_DIR / "static"]
STORAGES = {
    "default": {"BACKEND": "django.core.files.storage.FileSystemStorage"},
    "staticfiles": {
        "BACKEND": (
            "whitenoise.storage.CompressedManifestStaticFilesStorage"
            if PRODUCTION
            else "django.contrib.staticfiles.storage.StaticFilesStorage"
        )
    },
}
MEDIA_URL = "/media/"
MEDIA_ROOT = env.path("MEDIA_ROOT", default=BASE_DIR / "media")
# Uploaded images go to S3-compatible storage (AWS S3, MinIO, Cloudflare R2, ...) when a bucket is
# named. boto3 reads the credentials from AWS_ACCESS_KEY_ID and AWS_SECRET_ACCESS_KEY. Addresses
# are unsigned (the bucket or its CDN serves the images publicly): publications keep image
# addresses in their frozen HTML, and a signed address would expire. Names are random and never
# reused, so the files may be cached for good.
if env.str("AWS_STORAGE_BUCKET_NAME", default=""):
    STORAGES["default"] = {
        "BACKEND": "storages.backends.s3.S3Storage",
        "OPTIONS": {
            "bucket_name": env.str("AWS_STORAGE_BUCKET_NAME"),
            "endpoint_url": env.str("AWS_S3_ENDPOINT_URL", default="") or None,
            "region_name": env.str("AWS_S3_REGION_NAME", default="") or None,
            "custom_domain": env.str("AWS_S3_CUSTOM_DOMAIN", default="") or None,
            "location": env.str("AWS_LOCATION", default=""),
            "querystring_auth": False,
            "file_overwrite": False,
            "object_parameters": {"CacheControl": "public, max-age=31536000, immutable"},
        },
    }
# Image uploads (articles.images): refused past this many bytes, or this many pixels.
IMAGE_MAX_UPLOAD_BYTES = env.int("IMAGE_MAX_UPLOAD_BYTES", default=20 * 1024 * 1024)
IMAGE_MAX_PIXELS = env.int("IMAGE_MAX_PIXELS", default=40_000_000)

if PRODUCTION:
    SECURE_PROXY_SSL_HEADER = ("HTTP_X_FORWARDED_PROTO", "https")
    SECURE_SSL_REDIRECT = env.bool("SECURE_SSL_REDIRECT", default=True)
    SECURE_HSTS_SECONDS = env.int("SECURE_HSTS_SECONDS", default=31536000)
    SECURE_HSTS_INCLUDE_SUBDOMAINS = True
    SECURE_HSTS_PRELOAD = True
    SESSION_COOKIE_SECURE = True
    CSRF_COOKIE_SECURE = True
    # /healthz answers load balancers over plain HTTP inside the network.
    SECURE_REDIRECT_EXEMPT = [r"^healthz$"]

# Content-Security-Policy (django-csp 4, through cms.csp). Scripts, styles, fonts and connections
# come from this site only, with no inline code (templates load static/js files; JSON-LD is data,
# which CSP does not govern), so public pages need no nonce, which their page cache could not keep
# fresh. Images also come from the media storage's own address when uploads go to a bucket (the
# addresses django-storages makes there: the CDN domain, the endpoint's path-style address, or
# AWS's virtual-hosted one). No data: or blob: images: nothing here uses them.
def _media_origins() -> list[str]:
    options = STORAGES["default"].get("OPTIONS", {})
    if not options.get("bucket_name"):
        return []
    if options.get("custom_domain"):
        return [f"https://{options['custom_domain']}"]
    if options.get("endpoint_url"):
        endpoint = urlsplit(options["endpoint_url"])
        return [f"{endpoint.scheme}://{endpoint.netloc}"]
    return [f"https://{options['bucket_name']}.s3.amazonaws.com"]


CONTENT_SECURITY_POLICY = {
    "DIRECTIVES": {
        "default-src": ["'self'"],
        "script-src": ["'self'"],
        "style-src": ["'self'"],
        "img-src": ["'self'", *_media_origins()],
        "object-src": ["'none'"],
        "base-uri": ["'self'"],
        "form-action": ["'self'"],
        "frame-ancestors": ["'none'"],
    },
}
# Added to the policy of the article editor's pages only (by URL name, cms.csp): TinyMCE's dialogs
# (the image upload's progress, its panels) write style="..." attributes, which style-src 'self'
# blocks. Attributes only: <style> elements and every script stay as strict as everywhere else,
# and a style attribute cannot run code. Public pages, the rest of the desk and the admin need
# no exception (tests/browser/test_csp.py).
CONTENT_SECURITY_POLICY_VIEW_UPDATES = {
    # desk:merge edits its rich-text results in the same editor.
    view: {"style-src-attr": ["'unsafe-inline'"]} for view in ("desk:new", "desk:edit", "desk:merge")
}

# The editor offers only what the sanitizer keeps, so writers never see formatting vanish on save.
# TinyMCE 7 is GPL-licensed; this project is open source.
TINYMCE_DEFAULT_CONFIG = {
    "license_key": "gpl",
    # English is built in; left to LANGUAGE_CODE, django-tinymce asks for an en_GB pack that
    # TinyMCE does not ship (a 404 and a console error on every editor page).
    "language": "en",
    "menubar": False,
    # The element path ("p > strong") is a navigation landmark in each editor's status bar: a dozen
    # unnamed, identical landmarks on the editor page (axe-core: landmark-unique).
    "elementpath": False,
    "branding": False,
    "promotion": False,
    "height": 260,
    "plugins": "lists link autoresize image",
    "toolbar": "blocks | bold italic | bullist numlist | link blockquote image | undo redo",
    "block_formats": "Paragraph=p; Heading=h2; Subheading=h3",
    "valid_elements": "p,br,h2,h3,h4,strong/b,em/i,ul,ol,li,a[href|title],blockquote,sub,sup,"
                      "figure[class],figcaption,img[src|alt]",
    # Images: uploaded through the server (desk.views.images, which checks and cleans them),
    # each with a description (alt text, required by the gate) and a caption. No sizes are typed:
    # the server makes the sizes readers get. A pasted or typed remote address is dropped on save.
    # a11y_advanced_options is left off: its "decorative image" (empty alt) is what the gate refuses.
    "image_description": True,
    "image_caption": True,
    "image_dimensions": False,
    "image_advtab": False,
    "image_uploadtab": True,
    "images_file_types": "jpeg,jpg,png,webp,gif",
    "images_upload_handler": "cmsImageUploadHandler",
    "images_reuse_filename": False,
    "automatic_uploads": True,
    "invalid_styles": "color font-size font-family background-color",
    "paste_data_images": False,
    "paste_webkit_styles": "none",
    "paste_remove_styles_if_webkit": True,
    "link_default_protocol": "https",
    "entity_encoding": "raw",
    "convert_urls": False,
}

LOGGING = {
    "version": 1,
    "disable_existing_loggers": False,
    "handlers": {"console": {"class": "logging.StreamHandler"}},
    "root": {"handlers": ["console"], "level": env.str("LOG_LEVEL", default="WARNING")},
}
