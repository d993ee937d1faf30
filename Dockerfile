# Production image: gunicorn (web), Celery worker and beat share it.
FROM python:3.11-slim-bookworm
ENV PYTHONDONTWRITEBYTECODE=1 PYTHONUNBUFFERED=1 PIP_NO_CACHE_DIR=1 VAR_DIR=/var/lib/parchemin
RUN apt-get update \
 && apt-get install -y --no-install-recommends libpango-1.0-0 libpangoft2-1.0-0 fonts-dejavu-core gettext \
 && rm -rf /var/lib/apt/lists/* \
 && useradd --system --create-home --home-dir /app parchemin
WORKDIR /app
COPY pyproject.toml README.md ./
RUN pip install --upgrade pip && pip install .
COPY --chown=parchemin:parchemin . .
RUN true \
 && mkdir -p $VAR_DIR && chown parchemin:parchemin $VAR_DIR \
 && DEBUG=false SECRET_KEY=build-only-$(head -c 48 /dev/urandom | base64) ALLOWED_HOSTS=build SITE_URL=https://build.invalid python manage.py collectstatic --noinput \
 && DEBUG=false SECRET_KEY=build-only-$(head -c 48 /dev/urandom | base64) ALLOWED_HOSTS=build SITE_URL=https://build.invalid python manage.py compilemessages --ignore .venv
USER parchemin
EXPOSE 8000
CMD ["gunicorn", "parchemin.wsgi:application", "--bind", "0.0.0.0:8000", "--workers", "3", "--timeout", "60", "--access-logfile", "-"]
