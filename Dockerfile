# Boomerang: one image for `boomerang api` (default), `boomerang worker` and `boomerang migrate`.
#   docker build -t boomerang .
# Used by temporal-dev.yml (see there for the whole stack).

# --- The builder UI (static files in builder_ui/dist) ---
FROM node:20 AS ui
WORKDIR /src/builder_ui
COPY builder_ui/package.json builder_ui/package-lock.json ./
RUN npm ci
COPY builder_ui/ ./
RUN npm run build

# --- The Python application ---
FROM python:3.11-slim

ENV PYTHONUNBUFFERED=1 \
    UV_PYTHON_DOWNLOADS=never \
    UV_COMPILE_BYTECODE=1 \
    UV_LINK_MODE=copy \
    UV_PROJECT_ENVIRONMENT=/app/.venv

RUN pip install --no-cache-dir uv

WORKDIR /app

# Dependencies first (cached while only the source changes).
COPY pyproject.toml uv.lock ./
RUN uv sync --frozen --no-dev --no-install-project

COPY README.md alembic.ini ./
COPY engine/ engine/
COPY builder_api/ builder_api/
COPY builder_ui/__init__.py builder_ui/
COPY --from=ui /src/builder_ui/dist builder_ui/dist
COPY templates/ templates/
# The project itself, editable (uv's default): settings find templates/ next to engine/.
RUN uv sync --frozen --no-dev

RUN useradd --system --uid 10001 --home-dir /data --create-home boomerang
USER boomerang

ENV PATH=/app/.venv/bin:$PATH \
    BOOMERANG_DATA_DIR=/data \
    BOOMERANG_HOST=0.0.0.0

EXPOSE 8000
CMD ["boomerang", "api"]
