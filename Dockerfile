# Image of the portal for full mode (docker-compose.yml): the same image runs the web process
# (gunicorn), the Celery workers and Celery beat. Debian 12 with Debian's Python 3.11, as on the
# machines `make run` and `make test` install.
FROM debian:12-slim

ENV DEBIAN_FRONTEND=noninteractive \
    LANG=C.UTF-8 \
    PYTHONDONTWRITEBYTECODE=1 \
    PYTHONUNBUFFERED=1 \
    PIP_DISABLE_PIP_VERSION_CHECK=1 \
    PIP_NO_CACHE_DIR=1 \
    VIRTUAL_ENV=/opt/venv \
    PATH=/opt/venv/bin:$PATH

# Runtime libraries: WeasyPrint (Pango, HarfBuzz), fonts covering Vietnamese, Tesseract with
# Debian's `vie` data and `osd` (orientation of pages fed sideways or upside down), poppler
# (pdftoppm), libmagic (upload type checks).
RUN apt-get update \
    && apt-get install -y --no-install-recommends \
        python3 python3-venv \
        libpango-1.0-0 libpangoft2-1.0-0 libharfbuzz-subset0 \
        fonts-noto-core fonts-dejavu-core \
        tesseract-ocr tesseract-ocr-vie tesseract-ocr-osd poppler-utils libmagic1 \
    && rm -rf /var/lib/apt/lists/*

RUN python3 -m venv /opt/venv \
    && pip install --upgrade pip

# Dependencies first, from pyproject.toml alone, so a source change does not reinstall them.
# The project declares no modules (`py-modules = []`): installing it only brings dependencies.
COPY pyproject.toml /tmp/build/pyproject.toml
RUN pip install /tmp/build && rm -rf /tmp/build

WORKDIR /app
COPY . .

# Static files are collected into the image; collectstatic needs no database, so it runs in
# embedded mode with a throw-away key (nothing is written to var/).
ENV STATIC_ROOT=/app/staticfiles
RUN PORTAL_MODE=embedded SECRET_KEY=collectstatic-only PORTAL_VAR_DIR=/tmp/var \
        python manage.py collectstatic --noinput -v0 \
    && rm -rf /tmp/var

# Run as an unprivileged user. /data/media is created owned by that user so a named volume
# mounted there starts with the right owner; /app/var holds the default signing-cert path.
RUN groupadd --system --gid 10001 portal \
    && useradd --system --uid 10001 --gid portal --home-dir /app --no-create-home \
        --shell /usr/sbin/nologin portal \
    && mkdir -p /data/media /app/var \
    && chown -R portal:portal /data /app/var
USER portal

EXPOSE 8000
CMD ["gunicorn", "bacyen_portal.wsgi:application", "--bind", "0.0.0.0:8000", \
     "--config", "python:bacyen_portal.gunicorn_hooks", \
     "--workers", "2", "--threads", "4", "--access-logfile", "-", "--log-level", "warning"]
