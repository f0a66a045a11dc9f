FROM python:3.11-slim

ENV PYTHONDONTWRITEBYTECODE=1 PYTHONUNBUFFERED=1
# postgresql-client: pg_dump and pg_restore for `manage.py backup` / `restore`.
RUN apt-get update \
    && apt-get install -y --no-install-recommends postgresql-client curl \
    && rm -rf /var/lib/apt/lists/*
WORKDIR /app
COPY pyproject.toml README.md ./
RUN pip install --no-cache-dir .
COPY . .
RUN useradd --create-home tracker && mkdir -p var/media var/staticfiles && chown -R tracker var
USER tracker
EXPOSE 8000
CMD ["gunicorn", "cambodia_tracker.wsgi:application", "--bind", "0.0.0.0:8000", "--workers", "2"]
