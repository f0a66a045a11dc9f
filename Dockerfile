FROM python:3.11-slim

ENV PYTHONDONTWRITEBYTECODE=1 PYTHONUNBUFFERED=1
WORKDIR /app
COPY pyproject.toml README.md ./
RUN pip install --no-cache-dir .
COPY . .
RUN useradd --create-home tracker && mkdir -p var && chown tracker var
USER tracker
EXPOSE 8000
CMD ["gunicorn", "cambodia_tracker.wsgi:application", "--bind", "0.0.0.0:8000", "--workers", "2"]
