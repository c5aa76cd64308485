# The container (a Hugging Face Docker Space, or any container platform): `python -m functions`
# serves every function on $PORT (7860) with $WEB_CONCURRENCY uvicorn workers, logging JSON.
FROM python:3.13-slim

ENV PYTHONUNBUFFERED=1 \
    PIP_NO_CACHE_DIR=1 \
    PIP_DISABLE_PIP_VERSION_CHECK=1 \
    PORT=7860

RUN useradd --create-home --uid 1000 app
WORKDIR /app

# Dependencies first, from pyproject.toml alone: a change to the code reuses this layer.
COPY pyproject.toml ./
RUN python -c "import tomllib; print('\n'.join(tomllib.load(open('pyproject.toml', 'rb'))['project']['dependencies']))" > /tmp/requirements.txt \
    && pip install -r /tmp/requirements.txt \
    && rm /tmp/requirements.txt

# The source runs from /app as it is (nothing is built or installed from it), compiled once
# here so that no worker compiles it at start-up.
COPY functions ./functions
COPY shared ./shared
RUN python -m compileall -q functions shared \
    # The embedded SQLite default (no DATABASE_URL) writes here, as uid 1000.
    && mkdir -m 0700 /app/data && chown 1000:1000 /app/data

USER 1000
EXPOSE 7860
# /health is 200 when the database answers, 503 while it does not (the service stays up).
HEALTHCHECK --interval=30s --timeout=5s --start-period=20s --retries=3 \
    CMD ["python", "-c", "import os, urllib.request; urllib.request.urlopen(f\"http://127.0.0.1:{os.environ.get('PORT', '7860')}/health\", timeout=4)"]
CMD ["python", "-m", "functions"]
