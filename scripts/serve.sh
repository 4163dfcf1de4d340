#!/usr/bin/env bash
# Serve the dashboard from N Streamlit replicas behind nginx (issue #14), in the foreground.
#
#   bash scripts/serve.sh --replicas N [--port P] [--run-dir DIR]   start; Ctrl-C stops everything
#   bash scripts/serve.sh --stop [--run-dir DIR]                    stop a start running elsewhere
#
# Each replica is `streamlit run app.py` on its own free loopback port, headless, reading the same
# package (TRACKER_DATA_DIR, else data/build, built first as scripts/run.sh does). nginx listens on P
# (default $PORT, else 8501) with the config rendered from deploy/nginx.conf.template: sticky by a
# cookie it sets, websocket-aware, a failed replica skipped. While it runs, this script probes every
# replica's /_stcore/health every 2 s and marks one that misses two probes `down` in nginx (and back
# in when it answers again). Pid files, logs and the rendered config live in the run folder (default
# .serve/): a second start with the same run folder refuses, and --stop ends what the pid files name.
set -euo pipefail

ROOT="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
TEMPLATE="$ROOT/deploy/nginx.conf.template"
HEALTH_GUARD_S=300 # give up on a replica that is not healthy after this long (a hang guard, not a budget)
PROBE_EVERY_S=2

usage() {
  sed -n '2,5p' "${BASH_SOURCE[0]}" | sed 's/^# \{0,1\}//' >&2
  exit 2
}
say() { echo "==> $*"; }
die() {
  echo "error: $*" >&2
  exit 1
}

action=start
replicas=""
port="${PORT:-8501}"
run_dir="$ROOT/.serve"
while [ $# -gt 0 ]; do
  case "$1" in
    --replicas) replicas="${2:-}"; shift 2 || usage ;;
    --port) port="${2:-}"; shift 2 || usage ;;
    --run-dir) run_dir="${2:-}"; shift 2 || usage ;;
    --stop) action=stop; shift ;;
    -h | --help) usage ;;
    *) echo "unknown argument: $1" >&2; usage ;;
  esac
done
mkdir -p "$run_dir"
run_dir="$(cd "$run_dir" && pwd)"

# -- processes named by pid files ---------------------------------------------------------------

# true when $1 is a live (not zombie) process whose command line contains $2: a pid file left by a
# crash never makes us signal some other program that reused the pid
running() {
  local stat
  stat="$(cat "/proc/$1/stat" 2>/dev/null)" || return 1
  stat="${stat##*) }"
  [ "${stat%% *}" != Z ]
}
alive() {
  running "$1" && tr '\0' ' ' <"/proc/$1/cmdline" 2>/dev/null | grep -qF -- "$2"
}

# "pidfile:pattern" for every process a start runs: the supervisor, nginx, each replica
pid_files() {
  echo "$run_dir/serve.pid:serve.sh"
  echo "$run_dir/nginx.pid:nginx"
  local f
  for f in "$run_dir"/replica-*.pid; do
    [ -e "$f" ] && echo "$f:streamlit"
  done
  return 0
}

# the pids of the live processes named by the pid files, serve.sh excluded
live_children() {
  local entry file pid
  while IFS= read -r entry; do
    file="${entry%:*}"
    [ "$file" != "$run_dir/serve.pid" ] || continue
    pid="$(cat "$file" 2>/dev/null)" || continue
    alive "$pid" "${entry##*:}" && echo "$pid"
  done < <(pid_files)
  return 0
}

# TERM each pid, give them 20 s to exit, then KILL what is left
terminate() {
  local pid left i
  [ $# -gt 0 ] || return 0
  kill -TERM "$@" 2>/dev/null || true
  for i in $(seq 1 100); do
    left=()
    for pid in "$@"; do
      if running "$pid"; then left+=("$pid"); fi
    done
    [ ${#left[@]} -gt 0 ] || return 0
    sleep 0.2
  done
  echo "warning: killing ${left[*]}, which did not stop within 20 s" >&2
  kill -KILL "${left[@]}" 2>/dev/null || true
}

remove_pid_files() {
  rm -f "$run_dir"/replica-*.pid "$run_dir"/replica-*.port "$run_dir/nginx.pid" "$run_dir/serve.pid"
}

# -- --stop ---------------------------------------------------------------------------------------

if [ "$action" = stop ]; then
  supervisor="$(cat "$run_dir/serve.pid" 2>/dev/null || true)"
  if [ -n "$supervisor" ] && ! alive "$supervisor" serve.sh; then supervisor=""; fi
  if [ -n "$supervisor" ]; then
    kill -TERM "$supervisor"
    # it stops nginx and its replicas itself; wait for it (a hang guard of 60 s)
    for _ in $(seq 1 300); do
      alive "$supervisor" serve.sh || break
      sleep 0.2
    done
  fi
  mapfile -t left < <(live_children)
  if [ -z "$supervisor" ] && [ ${#left[@]} -eq 0 ]; then
    remove_pid_files
    say "nothing is running (run folder $run_dir)"
    exit 0
  fi
  terminate "${left[@]}"
  if [ -n "$supervisor" ] && alive "$supervisor" serve.sh; then
    terminate "$supervisor"
  fi
  remove_pid_files
  say "stopped (run folder $run_dir)"
  exit 0
fi

# -- start ----------------------------------------------------------------------------------------

[[ "$replicas" =~ ^[1-9][0-9]*$ ]] || die "--replicas N is required (a whole number, at least 1)"
[[ "$port" =~ ^[0-9]+$ ]] && [ "$port" -ge 1 ] && [ "$port" -le 65535 ] || die "--port must be a port number, not '$port'"

supervisor="$(cat "$run_dir/serve.pid" 2>/dev/null || true)"
if [ -n "$supervisor" ] && alive "$supervisor" serve.sh; then
  die "already running (pid $supervisor, run folder $run_dir, http://localhost:$(cat "$run_dir/port" 2>/dev/null || echo '?')); stop it with: bash scripts/serve.sh --stop --run-dir $run_dir"
fi
if [ -n "$(live_children)" ]; then
  die "processes of an earlier start are still running ($(live_children | tr '\n' ' ')); end them with: bash scripts/serve.sh --stop --run-dir $run_dir"
fi
remove_pid_files
# claim the run folder: with noclobber, only one of two starts racing here creates the pid file
(set -C; echo $$ >"$run_dir/serve.pid") 2>/dev/null || die "another start claimed $run_dir first"
echo "$port" >"$run_dir/port"

NGINX="$(command -v nginx || true)"
[ -n "$NGINX" ] || [ ! -x /usr/sbin/nginx ] || NGINX=/usr/sbin/nginx
if [ -z "$NGINX" ]; then
  if [ "$(id -u)" = 0 ] && command -v apt-get >/dev/null 2>&1; then
    say "installing Debian's nginx"
    apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq nginx >/dev/null
    NGINX=/usr/sbin/nginx
  else
    rm -f "$run_dir/serve.pid"
    die "nginx is missing: install Debian's package (sudo apt-get install nginx) and run this again"
  fi
fi

sleeper=""
stop_all() {
  local status=$?
  trap - INT TERM EXIT
  [ -z "$sleeper" ] || kill "$sleeper" 2>/dev/null || true
  mapfile -t pids < <(live_children)
  if [ ${#pids[@]} -gt 0 ]; then
    say "stopping nginx and the replicas (${pids[*]})"
    terminate "${pids[@]}"
  fi
  wait 2>/dev/null || true # reap our children
  remove_pid_files
  say "stopped"
  exit "$status"
}
trap stop_all EXIT
trap 'exit 130' INT
trap 'exit 143' TERM

source "$ROOT/scripts/setup.sh" requirements.txt # .venv with the pinned requirements; cd "$ROOT"
if [ -z "${TRACKER_DATA_DIR:-}" ]; then
  say "building the data package"
  .venv/bin/python -m etl build
  export TRACKER_DATA_DIR="$ROOT/data/build"
fi
[ -f "$TRACKER_DATA_DIR/manifest.json" ] || die "no package at $TRACKER_DATA_DIR (no manifest.json)"

.venv/bin/python - "$port" <<'EOF' || die "port $port is in use; choose another with --port"
import socket, sys
with socket.socket() as s:
    s.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
    s.bind(("", int(sys.argv[1])))
EOF
read -r -a ports < <(.venv/bin/python - "$replicas" <<'EOF'
import socket, sys
socks = [socket.socket() for _ in range(int(sys.argv[1]))]
for s in socks:
    s.bind(("127.0.0.1", 0))
print(" ".join(str(s.getsockname()[1]) for s in socks))
EOF
)

# one cookie secret for all replicas, so anything Streamlit signs (auth cookies) is valid on each
STREAMLIT_SERVER_COOKIE_SECRET="$(.venv/bin/python -c 'import secrets; print(secrets.token_hex(32))')"
export STREAMLIT_SERVER_COOKIE_SECRET
for i in $(seq 1 "$replicas"); do
  p="${ports[$((i - 1))]}"
  .venv/bin/python -m streamlit run app.py --server.port "$p" --server.address 127.0.0.1 \
    --server.headless true >"$run_dir/replica-$i.log" 2>&1 &
  echo $! >"$run_dir/replica-$i.pid"
  echo "$p" >"$run_dir/replica-$i.port"
done
say "started $replicas replicas on 127.0.0.1 ports ${ports[*]} (logs: $run_dir/replica-*.log)"

# true when 127.0.0.1:$1 answers GET $2 with 200 within 5 s (plain bash: no curl needed)
probe() {
  (
    exec 3<>"/dev/tcp/127.0.0.1/$1" || exit 1
    printf 'GET %s HTTP/1.0\r\nHost: 127.0.0.1:%s\r\n\r\n' "$2" "$1" >&3
    IFS= read -r -t 5 line <&3 || exit 1
    [[ "$line" == "HTTP/1."?" 200"* ]]
  ) 2>/dev/null
}

for i in $(seq 1 "$replicas"); do
  start=$SECONDS
  until probe "${ports[$((i - 1))]}" /_stcore/health; do
    alive "$(cat "$run_dir/replica-$i.pid")" streamlit || { tail -n 20 "$run_dir/replica-$i.log" >&2; die "replica $i exited before it was healthy; see $run_dir/replica-$i.log"; }
    [ $((SECONDS - start)) -lt "$HEALTH_GUARD_S" ] || die "replica $i is not healthy after ${HEALTH_GUARD_S} s; see $run_dir/replica-$i.log"
    sleep 0.3
  done
done

# render the config: every replica, those in $1 (a space-separated list of indexes) marked down
render() {
  local servers="" user_line="" i p conf
  for i in $(seq 1 "$replicas"); do
    p="${ports[$((i - 1))]}"
    servers+="        server 127.0.0.1:$p max_fails=1 fail_timeout=10s"
    [[ " $1 " == *" $i "* ]] && servers+=" down"
    servers+="; # replica $i"$'\n'
  done
  # as root nginx's workers drop to nobody; they never write a temp file (see the template)
  [ "$(id -u)" != 0 ] || user_line="user nobody nogroup;"
  conf="$(cat "$TEMPLATE")"
  conf="${conf//\{\{USER_LINE\}\}/"$user_line"}"
  conf="${conf//\{\{RUN_DIR\}\}/"$run_dir"}"
  conf="${conf//\{\{LISTEN\}\}/"$port"}"
  conf="${conf//\{\{SERVERS\}\}/"${servers%$'\n'}"}"
  printf '%s\n' "$conf" >"$run_dir/nginx.conf"
}
mkdir -p "$run_dir/nginx-tmp"
render ""
nginx_args=(-p "$run_dir" -c "$run_dir/nginx.conf" -e "$run_dir/nginx-error.log")
"$NGINX" -t -q "${nginx_args[@]}" || die "the rendered $run_dir/nginx.conf does not pass nginx -t"
"$NGINX" "${nginx_args[@]}" &
nginx_pid=$!
start=$SECONDS
# nginx writes its pid file once it holds the port (it exits when it cannot bind): only then is an
# answer on the port nginx's own
until [ -s "$run_dir/nginx.pid" ] && probe "$port" /_stcore/health; do
  running "$nginx_pid" || die "nginx exited; see $run_dir/nginx-error.log"
  [ $((SECONDS - start)) -lt "$HEALTH_GUARD_S" ] || die "nginx does not answer on port $port; see $run_dir/nginx-error.log"
  sleep 0.2
done
say "serving $replicas replicas at http://localhost:$port (stop: Ctrl-C or bash scripts/serve.sh --stop --run-dir $run_dir)"

# nginx's workers that take new connections (after a reload the old ones are "shutting down")
accepting_workers() {
  local pid
  for pid in $(cat "/proc/$nginx_pid/task/$nginx_pid/children" 2>/dev/null); do
    [ "$(tr -d '\0' <"/proc/$pid/cmdline" 2>/dev/null)" != "nginx: worker process" ] || echo "$pid"
  done
  return 0
}

# reload nginx with the rendered config; return once only workers of the new config take connections
reload_nginx() {
  local before now pid stale
  before=" $(accepting_workers | tr '\n' ' ') "
  kill -HUP "$nginx_pid" # open websockets stay with the old workers until they close
  for _ in $(seq 1 100); do
    now="$(accepting_workers)"
    stale=""
    for pid in $now; do [[ "$before" != *" $pid "* ]] || stale=1; done
    [ -z "$now" ] || [ -n "$stale" ] || return 0
    sleep 0.1
  done
  echo "warning: nginx has not finished reloading after 10 s" >&2
}

# watch: a replica that misses two health checks in a row is marked down (one busy moment is not
# enough: its sessions' next requests would go elsewhere while their websockets stay); it is back in
# as soon as it answers again. A dead one is skipped by nginx at once anyway (connection refused).
down=""
misses=()
for i in $(seq 1 "$replicas"); do misses[i]=0; done
while true; do
  sleep "$PROBE_EVERY_S" &
  sleeper=$!
  wait "$sleeper" || true
  sleeper=""
  alive "$nginx_pid" nginx || die "nginx exited; see $run_dir/nginx-error.log"
  now=""
  for i in $(seq 1 "$replicas"); do
    if probe "${ports[$((i - 1))]}" /_stcore/health; then misses[i]=0; else misses[i]=$((misses[i] + 1)); fi
    [ "${misses[i]}" -lt 2 ] || now+="$i "
  done
  now="${now% }"
  if [ "$now" != "$down" ]; then
    render "$now"
    reload_nginx
    for i in $now; do [[ " $down " == *" $i "* ]] || say "replica $i (port ${ports[$((i - 1))]}) does not answer /_stcore/health: marked down"; done
    for i in $down; do [[ " $now " == *" $i "* ]] || say "replica $i (port ${ports[$((i - 1))]}) answers again: back in"; done
    [ "$(wc -w <<<"$now")" -lt "$replicas" ] || echo "warning: no replica answers /_stcore/health" >&2
    down="$now"
  fi
done
