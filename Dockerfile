# The container entry point (a Hugging Face Docker Space): uvicorn serving every function on 7860.
FROM python:3.13-slim

ENV PYTHONDONTWRITEBYTECODE=1 \
    PYTHONUNBUFFERED=1 \
    PIP_NO_CACHE_DIR=1 \
    PIP_DISABLE_PIP_VERSION_CHECK=1

RUN useradd --create-home --uid 1000 app
WORKDIR /app

COPY pyproject.toml README.md ./
COPY shared ./shared
COPY functions ./functions
RUN pip install . \
    # The embedded SQLite default (no DATABASE_URL) writes here, as uid 1000.
    && mkdir -p /app/data && chown 1000:1000 /app/data

USER 1000
EXPOSE 7860
CMD ["uvicorn", "functions.app:app", "--host", "0.0.0.0", "--port", "7860", "--proxy-headers", "--forwarded-allow-ips", "*"]
