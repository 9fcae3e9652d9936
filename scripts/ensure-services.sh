#!/usr/bin/env bash
# Makes sure Postgres and Redis are reachable for DATABASE_URL / REDIS_URL, and that the
# database exists. Uses running servers if reachable; else starts installed binaries; else
# installs Debian's packages (when allowed: root, or ALLOW_APT=1); else docker compose where a
# Docker engine runs. Fails with a message saying what to do when it cannot.
set -euo pipefail
cd "$(dirname "$0")/.."

DATABASE_URL="${DATABASE_URL:-postgres://postgres@127.0.0.1:5432/voice_agents}"
REDIS_URL="${REDIS_URL:-redis://127.0.0.1:6379}"
ALLOW_APT="${ALLOW_APT:-auto}"

say() { printf '[services] %s\n' "$*" >&2; }

url_host() { node -e 'const u=new URL(process.argv[1]); console.log(u.hostname || "127.0.0.1")' "$1"; }
url_port() { node -e 'const u=new URL(process.argv[1]); console.log(u.port || process.argv[2])' "$1" "$2"; }

reachable() { (exec 3<>"/dev/tcp/$1/$2") 2>/dev/null; }

wait_for() {
  local host=$1 port=$2 name=$3
  for _ in $(seq 1 60); do
    reachable "$host" "$port" && return 0
    sleep 0.5
  done
  say "$name did not come up on $host:$port"
  return 1
}

apt_allowed() {
  command -v apt-get >/dev/null 2>&1 || return 1
  case "$ALLOW_APT" in
    1|yes|true) return 0 ;;
    0|no|false) return 1 ;;
    *) [ "$(id -u)" = "0" ] ;;
  esac
}

docker_engine() { command -v docker >/dev/null 2>&1 && docker info >/dev/null 2>&1; }

APT_UPDATED=0
apt_install() {
  if [ "$APT_UPDATED" = 0 ]; then DEBIAN_FRONTEND=noninteractive apt-get update -qq >&2; APT_UPDATED=1; fi
  DEBIAN_FRONTEND=noninteractive apt-get install -y -qq "$@" >&2
}

start_postgres() {
  local host=$1 port=$2
  if ! command -v pg_ctlcluster >/dev/null 2>&1 && ! ls /usr/lib/postgresql/*/bin/postgres >/dev/null 2>&1; then
    if apt_allowed; then
      say "installing PostgreSQL from Debian's packages"
      apt_install postgresql
    elif docker_engine; then
      say "starting PostgreSQL with docker compose"
      docker compose up -d postgres >&2
      return 0
    else
      say "PostgreSQL is not reachable on $host:$port and not installed."
      say "Install it (sudo apt-get install postgresql), run 'docker compose up -d postgres redis', or set DATABASE_URL."
      exit 1
    fi
  fi
  local version
  version=$(ls /etc/postgresql 2>/dev/null | sort -V | tail -1 || true)
  if [ -z "$version" ]; then
    version=$(ls /usr/lib/postgresql | sort -V | tail -1)
    pg_createcluster "$version" main >&2
  fi
  local hba="/etc/postgresql/$version/main/pg_hba.conf"
  # Local development only: let the postgres user in over loopback without a password, as DATABASE_URL expects.
  if [ -w "$hba" ] && ! grep -q '^host all all 127.0.0.1/32 trust' "$hba"; then
    sed -i '1i host all all 127.0.0.1/32 trust\nhost all all ::1/128 trust' "$hba"
  fi
  say "starting PostgreSQL $version"
  pg_ctlcluster --skip-systemctl-redirect "$version" main start >&2 || pg_ctlcluster "$version" main start >&2
}

start_redis() {
  local host=$1 port=$2
  if ! command -v redis-server >/dev/null 2>&1; then
    if apt_allowed; then
      say "installing Redis from Debian's packages"
      apt_install redis-server
    elif docker_engine; then
      say "starting Redis with docker compose"
      docker compose up -d redis >&2
      return 0
    else
      say "Redis is not reachable on $host:$port and not installed."
      say "Install it (sudo apt-get install redis-server), run 'docker compose up -d postgres redis', or set REDIS_URL."
      exit 1
    fi
  fi
  say "starting Redis on port $port"
  mkdir -p /tmp/voice-agents-redis
  redis-server --daemonize yes --bind 127.0.0.1 --port "$port" --save '' --appendonly no --dir /tmp/voice-agents-redis --logfile /tmp/voice-agents-redis/redis.log >&2
}

is_local() { case "$1" in 127.0.0.1|localhost|::1) return 0 ;; *) return 1 ;; esac; }

pg_host=$(url_host "$DATABASE_URL"); pg_port=$(url_port "$DATABASE_URL" 5432)
redis_host=$(url_host "$REDIS_URL"); redis_port=$(url_port "$REDIS_URL" 6379)

if ! reachable "$pg_host" "$pg_port"; then
  is_local "$pg_host" || { say "PostgreSQL at $pg_host:$pg_port is not reachable; check DATABASE_URL"; exit 1; }
  start_postgres "$pg_host" "$pg_port"
  wait_for "$pg_host" "$pg_port" PostgreSQL
fi
if ! reachable "$redis_host" "$redis_port"; then
  is_local "$redis_host" || { say "Redis at $redis_host:$redis_port is not reachable; check REDIS_URL"; exit 1; }
  start_redis "$redis_host" "$redis_port"
  wait_for "$redis_host" "$redis_port" Redis
fi

# The database itself (needs node_modules for pg).
node scripts/ensure-database.js "$DATABASE_URL"
say "PostgreSQL ($pg_host:$pg_port) and Redis ($redis_host:$redis_port) are ready"
