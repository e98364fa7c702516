#!/usr/bin/env bash
# The upgrade test's fixture (issue 31 item 2): the database and files of a RELEASED version,
# made by that version's own code. Run at each release, before the release's changes land:
#   make upgrade-fixture REF=<the release's tag or commit>
# It exports REF's tree (git archive: the working tree is not touched), builds its virtualenv
# with uv from its own uv.lock, runs its `migrate`, `load_demo` and deploy/upgrade/journey.py
# (a journey's worth of activity, with that release's services) on SQLite, then stores the
# database and files compressed, with a manifest of every table's rows and every file's checksum
# (nhiemvu/lib/dbmanifest.py), the release's migrations and its tasks' statuses, in
# nhiemvu/web/tests/upgrade/. nhiemvu/web/tests/test_upgrade.py migrates a copy with the
# current code and compares. ~3 minutes on 2 cores.
set -euo pipefail
ref=${1:?usage: make_fixture.sh <released tag or commit>}
root=$(cd "$(dirname "$0")/../.." && pwd)
out="$root/nhiemvu/web/tests/upgrade"
python=${PYTHON:-$(command -v python3.13 || command -v python3.12 || command -v python3)}
commit=$(git -C "$root" rev-parse --verify "$ref^{commit}")
work=$(mktemp -d /tmp/nhiemvu-upgrade.XXXXXX)
trap 'rm -rf "$work"' EXIT
mkdir -p "$work/code" "$work/var"
git -C "$root" archive "$commit" | tar -x -C "$work/code"
cd "$work/code"
UV_PROJECT_ENVIRONMENT="$work/code/.venv" UV_PYTHON_DOWNLOADS=never \
  "$root/.uv/bin/uv" sync --frozen --python "$python" --quiet
unset DATABASE_URL
export NHIEMVU_VAR_DIR="$work/var" SQLITE_PATH="$work/var/db.sqlite3" MEDIA_ROOT="$work/var/media"
export JOURNEY_OUT="$work/journey.json" NHIEMVU_PRODUCTION=0
.venv/bin/python manage.py migrate --no-input -v0
.venv/bin/python manage.py load_demo
.venv/bin/python manage.py shell < "$root/deploy/upgrade/journey.py"
.venv/bin/python - "$work/var/db.sqlite3" <<'PY'
import sqlite3, sys
db = sqlite3.connect(sys.argv[1])
db.execute("PRAGMA wal_checkpoint(TRUNCATE)")
db.execute("VACUUM")
db.close()
PY
cd "$root"
mkdir -p "$out"
"$root/.venv/bin/python" - "$work" "$commit" "$out/manifest.json" <<'PY'
import json, sqlite3, sys
from pathlib import Path
from nhiemvu.lib.dbmanifest import manifest
work, commit, target = Path(sys.argv[1]), sys.argv[2], Path(sys.argv[3])
journey = json.loads((work / "journey.json").read_text())
db = sqlite3.connect(work / "var" / "db.sqlite3")
migrations = sorted(f"{a}.{n}" for a, n in db.execute("SELECT app, name FROM django_migrations"))
db.close()
made = {"release": commit, "migrations": migrations, **journey,
        **manifest(work / "var" / "db.sqlite3", work / "var" / "media")}
target.write_text(json.dumps(made, indent=1, sort_keys=True, ensure_ascii=False) + "\n")
PY
rm -f "$work/var/db.sqlite3-wal" "$work/var/db.sqlite3-shm"
tar -C "$work/var" -cJf "$out/previous.tar.xz" db.sqlite3 media
ls -l "$out"
