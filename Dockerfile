# syntax=docker/dockerfile:1.7
# One Dockerfile, one target per image:
#   docker build --target scheduler -t pulsecheck/scheduler .
#   targets: scheduler, prober, notifier, query-api, projector, admin
# The admin image carries pulsecheck-admin, pulsecheck-topics and pulsecheck-kafka-acls: the
# one-shots (ACLs; topics + migrations) and account creation run from it.
#
# Layers, most stable first: base image -> locked third-party deps (rebuilt only when uv.lock or
# a pyproject.toml changes) -> our source. The uv cache is a BuildKit cache mount, never a layer.

ARG PYTHON_IMAGE=python:3.11-slim-bookworm
ARG UV_IMAGE=ghcr.io/astral-sh/uv:0.13.9

FROM ${UV_IMAGE} AS uv

# ---------------------------------------------------------------- build ---
FROM ${PYTHON_IMAGE} AS build
COPY --from=uv /uv /usr/local/bin/uv
ENV UV_COMPILE_BYTECODE=1 \
    UV_LINK_MODE=copy \
    UV_PYTHON_DOWNLOADS=never \
    UV_PYTHON=/usr/local/bin/python3 \
    UV_PROJECT_ENVIRONMENT=/app/.venv
WORKDIR /src
# Manifests only: the workspace needs every member's pyproject.toml to resolve the lock.
COPY uv.lock pyproject.toml ./
COPY shared/pyproject.toml shared/
COPY services/scheduler/pyproject.toml services/scheduler/
COPY services/prober/pyproject.toml services/prober/
COPY services/notifier/pyproject.toml services/notifier/
COPY services/query-api/pyproject.toml services/query-api/
COPY services/projector/pyproject.toml services/projector/
COPY packages/read-model/pyproject.toml packages/read-model/
COPY packages/admin/pyproject.toml packages/admin/
COPY packages/checks/pyproject.toml packages/checks/
COPY packages/channels/pyproject.toml packages/channels/
COPY packages/testing/pyproject.toml packages/testing/
COPY packages/cli/pyproject.toml packages/cli/

FROM build AS venv-scheduler
RUN --mount=type=cache,target=/root/.cache/uv \
    uv sync --frozen --no-dev --no-install-workspace --package pulsecheck-scheduler
COPY shared/src shared/src
COPY services/scheduler/src services/scheduler/src
RUN --mount=type=cache,target=/root/.cache/uv \
    uv sync --frozen --no-dev --no-editable --package pulsecheck-scheduler

FROM build AS venv-prober
RUN --mount=type=cache,target=/root/.cache/uv \
    uv sync --frozen --no-dev --no-install-workspace --package pulsecheck-prober
COPY shared/src shared/src
COPY packages/checks/src packages/checks/src
COPY services/prober/src services/prober/src
RUN --mount=type=cache,target=/root/.cache/uv \
    uv sync --frozen --no-dev --no-editable --package pulsecheck-prober

FROM build AS venv-notifier
RUN --mount=type=cache,target=/root/.cache/uv \
    uv sync --frozen --no-dev --no-install-workspace --package pulsecheck-notifier
COPY shared/src shared/src
COPY packages/checks/src packages/checks/src
COPY packages/channels/src packages/channels/src
COPY services/notifier/src services/notifier/src
RUN --mount=type=cache,target=/root/.cache/uv \
    uv sync --frozen --no-dev --no-editable --package pulsecheck-notifier

FROM build AS venv-query-api
RUN --mount=type=cache,target=/root/.cache/uv \
    uv sync --frozen --no-dev --no-install-workspace --package pulsecheck-query-api
COPY shared/src shared/src
# GET /check-ssl runs the TLS check of pulsecheck-checks
COPY packages/checks/src packages/checks/src
# POST /channels validates by the channel registry of pulsecheck-channels
COPY packages/channels/src packages/channels/src
COPY packages/read-model/src packages/read-model/src
COPY services/query-api/src services/query-api/src
RUN --mount=type=cache,target=/root/.cache/uv \
    uv sync --frozen --no-dev --no-editable --package pulsecheck-query-api

FROM build AS venv-projector
RUN --mount=type=cache,target=/root/.cache/uv \
    uv sync --frozen --no-dev --no-install-workspace --package pulsecheck-projector
COPY shared/src shared/src
COPY packages/read-model/src packages/read-model/src
COPY services/projector/src services/projector/src
RUN --mount=type=cache,target=/root/.cache/uv \
    uv sync --frozen --no-dev --no-editable --package pulsecheck-projector

FROM build AS venv-admin
RUN --mount=type=cache,target=/root/.cache/uv \
    uv sync --frozen --no-dev --no-install-workspace --package pulsecheck-admin
COPY shared/src shared/src
COPY packages/read-model/src packages/read-model/src
COPY packages/checks/src packages/checks/src
COPY packages/channels/src packages/channels/src
# delete-account runs the API's own commands
COPY services/query-api/src services/query-api/src
COPY packages/admin/src packages/admin/src
RUN --mount=type=cache,target=/root/.cache/uv \
    uv sync --frozen --no-dev --no-editable --package pulsecheck-admin

# -------------------------------------------------------------- runtime ---
# No uv, no compiler, no source tree: only the virtualenv (owned by root, so read-only to the app).
FROM ${PYTHON_IMAGE} AS runtime
RUN groupadd --system --gid 10001 pulsecheck \
 && useradd --system --uid 10001 --gid pulsecheck --no-create-home \
        --home-dir /var/lib/pulsecheck --shell /usr/sbin/nologin pulsecheck \
 && install -d -o pulsecheck -g pulsecheck -m 0750 /var/lib/pulsecheck
# The working dir is the only place a service writes (faust keeps table state under it); it is
# a volume in Kubernetes so the root filesystem can stay read-only.
ENV PATH=/app/.venv/bin:$PATH \
    PYTHONUNBUFFERED=1 \
    PYTHONDONTWRITEBYTECODE=1 \
    HOME=/var/lib/pulsecheck
WORKDIR /var/lib/pulsecheck
USER 10001:10001

FROM runtime AS scheduler
COPY --from=venv-scheduler /app/.venv /app/.venv
# workers answer /healthz, /readyz and /metrics on every interface of the pod
ENV PULSECHECK_HEALTH_HOST=0.0.0.0 \
    PULSECHECK_HEALTH_PORT=8082
EXPOSE 8082
CMD ["pulsecheck-scheduler"]

FROM runtime AS prober
COPY --from=venv-prober /app/.venv /app/.venv
# workers answer /healthz, /readyz and /metrics on every interface of the pod
ENV PULSECHECK_HEALTH_HOST=0.0.0.0 \
    PULSECHECK_HEALTH_PORT=8081
EXPOSE 8081
CMD ["pulsecheck-prober"]

FROM runtime AS notifier
COPY --from=venv-notifier /app/.venv /app/.venv
# workers answer /healthz, /readyz and /metrics on every interface of the pod
ENV PULSECHECK_HEALTH_HOST=0.0.0.0 \
    PULSECHECK_HEALTH_PORT=8083
EXPOSE 8083
CMD ["pulsecheck-notifier"]

FROM runtime AS query-api
COPY --from=venv-query-api /app/.venv /app/.venv
ENV PULSECHECK_API_HOST=0.0.0.0 \
    PULSECHECK_API_PORT=8000
EXPOSE 8000
CMD ["pulsecheck-query-api"]

FROM runtime AS projector
COPY --from=venv-projector /app/.venv /app/.venv
# workers answer /healthz, /readyz and /metrics on every interface of the pod
ENV PULSECHECK_HEALTH_HOST=0.0.0.0 \
    PULSECHECK_HEALTH_PORT=8084
EXPOSE 8084
CMD ["pulsecheck-projector"]

FROM runtime AS admin
COPY --from=venv-admin /app/.venv /app/.venv
CMD ["pulsecheck-admin", "--help"]
