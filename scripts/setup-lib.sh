# Shared by scripts/demo, scripts/test and .ci/run: system packages, the venv, compiled assets.
# Sourced, not run. Every step is idempotent: running it again on a set-up checkout is quick.
set -euo pipefail

REPO_DIR="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
VENV="$REPO_DIR/.venv"
# how many processes run the suite at once (pytest-xdist; one a core here)
TEST_WORKERS="${LAUREL_TEST_WORKERS:-2}"
export PATH="$VENV/bin:$PATH"

say() { printf '\033[1m==> %s\033[0m\n' "$*"; }

# Debian packages a command needs; installed with apt-get when root, otherwise named once.
require_debian_packages() {
    local missing=()
    for package in "$@"; do
        dpkg-query -W -f='${Status}' "$package" 2>/dev/null | grep -q "install ok installed" \
            || missing+=("$package")
    done
    [ ${#missing[@]} -eq 0 ] && return 0
    if ! command -v apt-get >/dev/null; then
        echo "Laurel needs these system packages, and this is not a Debian/Ubuntu machine:" >&2
        echo "    ${missing[*]}" >&2
        echo "Install their equivalents, then run this command again." >&2
        exit 1
    fi
    if [ "$(id -u)" -ne 0 ]; then
        echo "Laurel needs these system packages, which are not installed:" >&2
        echo "    sudo apt-get install ${missing[*]}" >&2
        echo "Run that (or run this command as root), then run this command again." >&2
        exit 1
    fi
    say "Installing system packages: ${missing[*]}"
    apt-get update -qq
    DEBIAN_FRONTEND=noninteractive apt-get install -y -qq --no-install-recommends "${missing[@]}" >/dev/null
}

find_python() {
    for candidate in python3.11 python3.12 python3.13 python3; do
        if command -v "$candidate" >/dev/null \
            && "$candidate" -c 'import sys; sys.exit(sys.version_info < (3, 11))' 2>/dev/null; then
            command -v "$candidate"
            return 0
        fi
    done
    echo "Laurel needs Python 3.11 or newer (python3.11, python3.12 or python3.13)." >&2
    exit 1
}

# $1: the lockfile (requirements/app.lock or requirements/test.lock)
install_python_packages() {
    local lockfile="$REPO_DIR/$1"
    local stamp="$VENV/.installed-$(basename "$1")"
    if [ ! -x "$VENV/bin/python" ]; then
        say "Creating the virtual environment in .venv/"
        "$(find_python)" -m venv "$VENV"
    fi
    if [ ! -f "$stamp" ] || [ "$lockfile" -nt "$stamp" ] || [ "$REPO_DIR/pyproject.toml" -nt "$stamp" ]; then
        say "Installing Python packages from $1"
        "$VENV/bin/python" -m pip install -q --disable-pip-version-check --require-hashes -r "$lockfile"
        "$VENV/bin/python" -m pip install -q --disable-pip-version-check --no-deps -e "$REPO_DIR"
        touch "$stamp"
    fi
}

# The browser libraries served as static files (package.json, pinned by package-lock.json),
# installed into node_modules/ by npm ci; Node and npm from Debian when missing.
install_node_packages() {
    command -v npm >/dev/null || require_debian_packages nodejs npm
    local stamp="$REPO_DIR/node_modules/.package-lock.json"
    if [ ! -f "$stamp" ] || [ "$REPO_DIR/package-lock.json" -nt "$stamp" ]; then
        say "Installing browser libraries from package-lock.json"
        (cd "$REPO_DIR" && npm ci --omit=dev --no-audit --no-fund --loglevel=error >/dev/null)
    fi
}

compile_messages() {
    say "Compiling translations"
    (cd "$REPO_DIR/src/laurel" && LAUREL_DEBUG=true "$VENV/bin/laurel" compilemessages -v0)
}
