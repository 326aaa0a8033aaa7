#!/usr/bin/env bash
# `make prod-like`: the production topology on one machine, with production settings.
# PostgreSQL-backed gunicorn (WEB_CONCURRENCY workers, default 2), two Celery workers and
# one beat on Redis, run together by honcho through scripts/run_procfile.py (deploy/Procfile);
# Ctrl-C stops them all gracefully.
# Secrets are generated once into instance/prod-like.env (git-ignored, mode 600).
set -euo pipefail
cd "$(dirname "$0")/.."

BIN=.venv/bin
ENV_FILE=instance/prod-like.env
ADMIN_EMAIL=admin@example.com

mkdir -p instance
if [ ! -f "$ENV_FILE" ]; then
    umask 077
    {
        echo "# Made by deploy/prod-like.sh; never commit. Delete it to get new secrets."
        echo "SECRET_KEY=$($BIN/python -c 'import secrets; print(secrets.token_urlsafe(48))')"
        echo "METRICS_TOKEN=$($BIN/python -c 'import secrets; print(secrets.token_urlsafe(32))')"
        echo "PROD_LIKE_ADMIN_PASSWORD=$($BIN/python -c 'import secrets; print(secrets.token_urlsafe(12))')"
    } >"$ENV_FILE"
    umask 022
    echo "==> generated secrets into $ENV_FILE"
fi
set -a
# shellcheck source=/dev/null
. "$ENV_FILE"
set +a

# Production config; every default below can be overridden from the environment.
export STOCKROOM_ENV=production
export DATABASE_URL="${DATABASE_URL:-postgresql://postgres@127.0.0.1:5432/stockroom}"
export REDIS_URL="${REDIS_URL:-redis://127.0.0.1:6379/0}"
export CELERY_BROKER_URL="${CELERY_BROKER_URL:-$REDIS_URL}"
export CELERY_RESULT_BACKEND="${CELERY_RESULT_BACKEND:-$REDIS_URL}"
export RATELIMIT_STORAGE_URI="${RATELIMIT_STORAGE_URI:-$REDIS_URL}"
# No SMTP server on a demo machine: mail goes to .eml files (deploy-check finding S010).
export MAIL_BACKEND="${MAIL_BACKEND:-file}"
export MAIL_OUTBOX_DIR="${MAIL_OUTBOX_DIR:-$PWD/instance/outbox-prod-like}"
export PORT="${PORT:-5000}"
export PUBLIC_BASE_URL="${PUBLIC_BASE_URL:-http://127.0.0.1:$PORT}"
export WEB_CONCURRENCY="${WEB_CONCURRENCY:-2}"
export PROMETHEUS_MULTIPROC_DIR="$PWD/instance/prometheus-prod-like"

$BIN/python deploy/create_database.py
$BIN/flask --app wsgi db upgrade heads
if ! $BIN/flask --app wsgi users list | grep -q "$ADMIN_EMAIL"; then
    $BIN/flask --app wsgi users create "$ADMIN_EMAIL" --name "Demo Admin" --role admin \
        --password "$PROD_LIKE_ADMIN_PASSWORD"
fi
echo "==> admin: $ADMIN_EMAIL  password: $PROD_LIKE_ADMIN_PASSWORD  (from $ENV_FILE)"

# Every finding but S010 (mail to files, no SMTP server here) stops the start.
report="$($BIN/flask --app wsgi deploy-check 2>&1 || true)"
echo "$report"
if echo "$report" | grep -E '^S[0-9]{3} ' | grep -vq '^S010 '; then
    echo "==> deploy-check found unsafe settings beyond the expected S010: not starting" >&2
    exit 1
fi

rm -rf "$PROMETHEUS_MULTIPROC_DIR" && mkdir -p "$PROMETHEUS_MULTIPROC_DIR"
echo "==> http://127.0.0.1:$PORT  (gunicorn x$WEB_CONCURRENCY, 2 Celery workers, 1 beat; Ctrl-C stops all)"
# Not `honcho start`: scripts/run_procfile.py stops each process leader with SIGTERM and
# waits 30 s before SIGKILL, as gunicorn and Celery expect (docs/decisions.md, D12).
exec $BIN/python scripts/run_procfile.py start -f deploy/Procfile -d . -e "$ENV_FILE" -p "$PORT"
