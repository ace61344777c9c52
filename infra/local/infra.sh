#!/usr/bin/env bash
# Local infrastructure without Docker: Kafka (KRaft, single node), FerretDB (MongoDB wire
# protocol, SQLite backend) and Apicurio Registry (Confluent-compatible schema registry API).
#
#   bash infra/local/infra.sh up|down|status|reset|env|ferretdb-bin
#
# Binaries live in a per-user cache keyed by version (outside the clone):
#   CACHE=${CDP_CACHE_DIR:-${XDG_CACHE_HOME:-$HOME/.cache}/cdp-haravan-sync}
# Runtime state (data, pid files, logs) lives in ${INFRA_STATE_DIR:-<repo>/.infra}.
#
# Environment knobs (all optional):
#   INFRA_KAFKA_PORT=19092 INFRA_KAFKA_CONTROLLER_PORT=19093 INFRA_MONGO_PORT=27027
#   INFRA_REGISTRY_PORT=18081 INFRA_REGISTRY_MANAGEMENT_PORT=18082
#   APICURIO_JAVA_HOME (a Java 21+; default: newest found) INFRA_READY_TIMEOUT=120 (seconds per component)
#   INFRA_STOP_TIMEOUT=20 (seconds before SIGKILL)
#   INFRA_CACHE_KEEP_DAYS=30 (other installs in the cache no `up` started from this long are removed)
# If KAFKA_BROKERS, MONGODB_URI and SCHEMA_REGISTRY_URL are all set, `up` starts nothing.
#
# Output: progress goes to stderr; `up` and `env` print only the KEY=VALUE lines to stdout.
set -euo pipefail

KAFKA_VERSION=4.1.1
LOG4J_VERSION=2.24.3
FERRETDB_VERSION=v1.24.2
APICURIO_VERSION=${INFRA_APICURIO_VERSION:-3.3.3}   # needs Java 21+
APICURIO_FALLBACK_VERSION=3.0.9                     # runs on Java 17; used when no Java 21+ is found

SCRIPT_DIR=$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)
REPO_ROOT=$(cd "$SCRIPT_DIR/../.." && pwd)

# HOME may be missing in stripped environments (env -i, some task runners); mvn and go need it too.
HOME=${HOME:-$(getent passwd "$(id -u)" | cut -d: -f6)}
export HOME
CACHE=${CDP_CACHE_DIR:-${XDG_CACHE_HOME:-$HOME/.cache}/cdp-haravan-sync}
# One spelling of the state dir: `down` finds what `up` started (by the path in its command line)
# whether a symlink or the real path named it.
STATE=$(realpath -m -- "${INFRA_STATE_DIR:-$REPO_ROOT/.infra}")
LOGS=$STATE/logs
RUN=$STATE/run

KAFKA_PORT=${INFRA_KAFKA_PORT:-19092}
KAFKA_CONTROLLER_PORT=${INFRA_KAFKA_CONTROLLER_PORT:-19093}
MONGO_PORT=${INFRA_MONGO_PORT:-27027}
REGISTRY_PORT=${INFRA_REGISTRY_PORT:-18081}
REGISTRY_MGMT_PORT=${INFRA_REGISTRY_MANAGEMENT_PORT:-18082} # Quarkus management interface (health/metrics)
READY_TIMEOUT=${INFRA_READY_TIMEOUT:-120}
CACHE_KEEP_DAYS=${INFRA_CACHE_KEEP_DAYS:-30} # installs no `up` has used for this long are removed
STOP_TIMEOUT=${INFRA_STOP_TIMEOUT:-20}

ferretdb_sources_sha256() { # the wrapper, its module files and the patches applied to FerretDB
  cat "$SCRIPT_DIR"/ferretdb-run/{main.go,go.mod,go.sum} "$SCRIPT_DIR"/ferretdb-run/patches/*.patch |
    sha256sum | awk '{print $1}'
}

KAFKA_HOME=$CACHE/kafka-$KAFKA_VERSION
# Keyed by its sources too: clones with other patches build beside it, not over it.
FERRETDB_SOURCES=$(ferretdb_sources_sha256)
FERRETDB_HOME=$CACHE/ferretdb-$FERRETDB_VERSION-${FERRETDB_SOURCES:0:12}
APICURIO_HOME=$CACHE/apicurio-$APICURIO_VERSION

COMPONENTS=(kafka ferretdb apicurio)

# ---------------------------------------------------------------- helpers

log() { printf '[infra] %s\n' "$*" >&2; }
clog() { local c=$1; shift; printf '[infra:%s] %s\n' "$c" "$*" >&2; }
die() { printf '[infra] ERROR: %s\n' "$*" >&2; exit 1; }

now_ms() { date +%s%3N; }
elapsed() { # start_ms -> "1.23s"
  local d=$(( $(now_ms) - $1 ))
  printf '%d.%02ds' $((d / 1000)) $(((d % 1000) / 10))
}

# Quoted, so the file can be sourced by a shell too (the URI's `&` would end the assignment).
env_lines() {
  printf "KAFKA_BROKERS='127.0.0.1:%s'\n" "$KAFKA_PORT"
  printf "MONGODB_URI='mongodb://127.0.0.1:%s/?directConnection=true&retryWrites=false'\n" "$MONGO_PORT"
  printf "SCHEMA_REGISTRY_URL='http://127.0.0.1:%s/apis/ccompat/v7'\n" "$REGISTRY_PORT"
}

port_open() { # port -> 0 if something accepts TCP on 127.0.0.1:port
  timeout 2 bash -c "exec 3<>/dev/tcp/127.0.0.1/$1" 2>/dev/null
}

http_status() { # url -> prints HTTP status code (000 on failure); never through a proxy (http_proxy set for Maven)
  curl -s --noproxy '*' -o /dev/null -m 3 -w '%{http_code}' "$1" 2>/dev/null || true
}

component_ports() {
  case $1 in
    kafka) echo "$KAFKA_PORT $KAFKA_CONTROLLER_PORT" ;;
    ferretdb) echo "$MONGO_PORT" ;;
    apicurio) echo "$REGISTRY_PORT $REGISTRY_MGMT_PORT" ;;
  esac
}

pidfile() { echo "$RUN/$1.pid"; }

alive() { # pid -> 0 if the process exists and is not a zombie
  kill -0 "$1" 2>/dev/null || return 1
  local st
  st=$(awk '{print $3}' "/proc/$1/stat" 2>/dev/null) || return 1
  [[ $st != Z ]]
}
logfile() { echo "$LOGS/$1.log"; }

# Prints the pid if the component's recorded process is alive and really ours
# (its command line mentions our state dir, which protects against pid reuse).
our_pid() {
  local pf pid
  pf=$(pidfile "$1")
  [[ -f $pf ]] || return 1
  pid=$(<"$pf")
  [[ $pid =~ ^[0-9]+$ ]] || return 1
  alive "$pid" || return 1
  tr '\0' ' ' <"/proc/$pid/cmdline" 2>/dev/null | grep -qF -- "$STATE" || return 1
  echo "$pid"
}

tail_log() {
  local f
  f=$(logfile "$1")
  if [[ -f $f ]]; then
    printf -- '----- last 30 lines of %s -----\n' "$f" >&2
    tail -n 30 "$f" >&2 || true
    printf -- '----- end of %s -----\n' "$f" >&2
  else
    printf '(no log file %s)\n' "$f" >&2
  fi
}

require_cmds() {
  local missing=() c
  for c in "$@"; do command -v "$c" >/dev/null 2>&1 || missing+=("$c"); done
  ((${#missing[@]} == 0)) || die "missing prerequisite(s): ${missing[*]} (install them and retry)"
}

# Launch a daemon detached from this shell: own session, stdin from /dev/null,
# stdout+stderr to the component log. The exact pid is written by the wrapper.
spawn() { # component cwd cmd...
  local c=$1 cwd=$2; shift 2
  local lf
  lf=$(logfile "$c")
  [[ -f $lf ]] && mv -f "$lf" "$lf.1"
  (
    cd "$cwd"
    exec setsid bash -c 'echo $$ >"$1"; shift; exec "$@"' spawn "$(pidfile "$c")" "$@" \
      </dev/null >"$lf" 2>&1 8>&- 9>&-
  ) &
  # wait until the pid file is written (the wrapper writes it immediately)
  local i
  for i in $(seq 1 50); do
    [[ -s $(pidfile "$c") ]] && return 0
    sleep 0.1
  done
  return 1
}

# ---------------------------------------------------------------- installs (cache)

run_logged() { # logfile cmd... : run quietly, show the output only if it fails
  local lf=$1; shift
  if ! "$@" >"$lf" 2>&1; then
    cat "$lf" >&2
    die "command failed: $*"
  fi
}

install_lock() { # cache dir -> the lock its install and its removal from the cache take
  printf '%s/.%s.lock' "$CACHE" "$(basename "$1")"
}

# Marks an install used, so prune_cache keeps it (a read-only cache is fine; -c: never a new file).
mark_used() { # cache dir
  touch -c -- "$1" 2>/dev/null || true
}

# Runs "$2 <tmpdir>" to populate a fresh temp dir and renames it to $1 atomically.
# A cache dir either does not exist or is complete. Serialised per target via flock.
install_atomic() { # target_dir builder_fn component
  local target=$1 builder=$2 c=$3
  mkdir -p "$CACHE"
  (
    flock 9
    if [[ -d $target ]]; then exit 0; fi
    # leftovers of an interrupted install of this target (we hold its lock, so none is live)
    rm -rf "$CACHE/.tmp-$(basename "$target")".*
    local tmp
    tmp=$(mktemp -d "$CACHE/.tmp-$(basename "$target").XXXXXX")
    trap 'rm -rf "$tmp"' EXIT
    trap 'exit 130' INT TERM
    "$builder" "$tmp" "$c"
    chmod 755 "$tmp"
    mv -T "$tmp" "$target"
    trap - EXIT
  ) 9>"$(install_lock "$target")"
}

# -C: a jar whose checksum does not match fails the install (Maven only warns by default).
build_kafka() { # tmp
  local tmp=$1
  run_logged "$tmp/mvn.log" mvn -B -q -C -Dstyle.color=never -f "$SCRIPT_DIR/kafka/pom.xml" \
    -Dkafka.version="$KAFKA_VERSION" -Dlog4j.version="$LOG4J_VERSION" \
    dependency:copy-dependencies -DoutputDirectory="$tmp/libs"
  rm -f "$tmp/mvn.log"
  compgen -G "$tmp/libs/kafka_2.13-$KAFKA_VERSION.jar" >/dev/null ||
    die "kafka install: kafka_2.13-$KAFKA_VERSION.jar not found after mvn"
}

# FerretDB's module from the Go module proxy, patched (ferretdb-run/patches/*.patch say why),
# then the wrapper built against that copy.
build_ferretdb() { # tmp
  local tmp=$1 module src p
  module=$(cd "$SCRIPT_DIR/ferretdb-run" && go mod download -json "github.com/FerretDB/FerretDB@$FERRETDB_VERSION" |
    sed -n 's/^[[:space:]]*"Dir": "\(.*\)",$/\1/p')
  [[ -d $module ]] || die "ferretdb install: go mod download gave no module directory"
  src=$tmp/src
  mkdir -p "$src"
  cp -r "$module" "$src/ferretdb"
  cp "$SCRIPT_DIR/ferretdb-run/main.go" "$SCRIPT_DIR/ferretdb-run/go.mod" "$SCRIPT_DIR/ferretdb-run/go.sum" "$src/"
  chmod -R u+w "$src"
  for p in "$SCRIPT_DIR"/ferretdb-run/patches/*.patch; do
    run_logged "$tmp/patch.log" patch -p1 --forward --batch -d "$src/ferretdb" -i "$p"
  done
  (cd "$src" && go mod edit -replace "github.com/FerretDB/FerretDB=./ferretdb" &&
    run_logged "$tmp/go-build.log" env CGO_ENABLED=0 go build -trimpath -o "$tmp/ferretdb-run" .)
  rm -rf "$src" "$tmp/go-build.log" "$tmp/patch.log"
}

build_apicurio() { # tmp
  local tmp=$1
  run_logged "$tmp/mvn.log" mvn -B -q -C -Dstyle.color=never -f "$SCRIPT_DIR/kafka/pom.xml" dependency:copy \
    -Dartifact="io.apicurio:apicurio-registry-app:$APICURIO_VERSION:tar.gz:all" \
    -DoutputDirectory="$tmp/dl"
  rm -f "$tmp/mvn.log"
  local tgz
  tgz=$(compgen -G "$tmp/dl/*.tar.gz" | head -n1) || die "apicurio install: tar.gz not downloaded"
  mkdir -p "$tmp/x"
  tar -xzf "$tgz" -C "$tmp/x"
  local jar
  jar=$(find "$tmp/x" -name quarkus-run.jar -print -quit)  # 3.1+: Quarkus fast-jar layout
  if [[ -n $jar ]]; then
    mv "$(dirname "$jar")" "$tmp/app"
  else                                                       # 3.0.x: runner jar + lib/ beside it
    jar=$(find "$tmp/x" -name '*-runner.jar' -print -quit)
    [[ -n $jar ]] || die "apicurio install: neither quarkus-run.jar nor *-runner.jar in the archive"
    mv "$(dirname "$jar")" "$tmp/app"
  fi
  rm -rf "$tmp/x" "$tmp/dl"
}

apicurio_jar() { # prints the runnable jar of the installed Apicurio, fails if none
  if [[ -f $APICURIO_HOME/app/quarkus-run.jar ]]; then echo "$APICURIO_HOME/app/quarkus-run.jar"; return; fi
  compgen -G "$APICURIO_HOME/app/*-runner.jar" | head -n1 | grep .
}

home_of() { # component -> its install dir in the cache
  case $1 in
    kafka) echo "$KAFKA_HOME" ;;
    ferretdb) echo "$FERRETDB_HOME" ;;
    apicurio) echo "$APICURIO_HOME" ;;
  esac
}

# Other versions' installs, and FerretDB builds of other patches, pile up in the cache: those no
# `up` has started from in CACHE_KEEP_DAYS go (a clone still on one rebuilds it). This script's own
# stay, even under a long-running start. Each is removed under its install lock, skipped while an
# install of it holds the lock (lock files stay: one removed could be held by another).
prune_cache() {
  local dir
  local -A ours=(["$KAFKA_HOME"]=1 ["$FERRETDB_HOME"]=1 ["$CACHE/apicurio-$APICURIO_VERSION"]=1
    ["$CACHE/apicurio-$APICURIO_FALLBACK_VERSION"]=1)
  while IFS= read -r dir; do
    [[ -n ${ours[$dir]:-} ]] && continue
    (
      flock -n 9 || exit 0
      # Looked at again under the lock: an `up` may have started from it meanwhile.
      [[ -n $(find "$dir" -maxdepth 0 -mtime "+$CACHE_KEEP_DAYS") ]] || exit 0
      if rm -rf "$dir"; then
        log "removed $dir from the cache (not used for $CACHE_KEEP_DAYS days)"
      else
        log "could not remove $dir from the cache"
      fi
    ) 9>"$(install_lock "$dir")" || log "could not clean $dir from the cache"
  done < <(find "$CACHE" -mindepth 1 -maxdepth 1 -type d \( -name 'kafka-*' -o -name 'ferretdb-*' -o -name 'apicurio-*' \) -mtime "+$CACHE_KEEP_DAYS")
}

ensure_installed() { # component
  local c=$1 t0
  case $c in
    kafka)
      if [[ -d $KAFKA_HOME/libs ]]; then clog kafka "cache hit: $KAFKA_HOME"; return 0; fi
      require_cmds mvn java
      t0=$(now_ms); clog kafka "installing Kafka $KAFKA_VERSION jars via mvn -> $KAFKA_HOME"
      install_atomic "$KAFKA_HOME" build_kafka kafka
      clog kafka "install took $(elapsed "$t0")"
      ;;
    ferretdb)
      if [[ -x $FERRETDB_HOME/ferretdb-run ]]; then clog ferretdb "cache hit: $FERRETDB_HOME"; return 0; fi
      require_cmds go patch
      t0=$(now_ms); clog ferretdb "building FerretDB $FERRETDB_VERSION wrapper (go build, CGO_ENABLED=0) -> $FERRETDB_HOME"
      install_atomic "$FERRETDB_HOME" build_ferretdb ferretdb
      clog ferretdb "install took $(elapsed "$t0")"
      ;;
    apicurio)
      if apicurio_jar >/dev/null 2>&1; then clog apicurio "cache hit: $APICURIO_HOME"; return 0; fi
      require_cmds mvn java tar
      t0=$(now_ms); clog apicurio "installing Apicurio Registry $APICURIO_VERSION via mvn -> $APICURIO_HOME"
      install_atomic "$APICURIO_HOME" build_apicurio apicurio
      clog apicurio "install took $(elapsed "$t0")"
      ;;
  esac
}

# ---------------------------------------------------------------- start + readiness

kafka_cluster_id() { # random Kafka-style UUID: base64url(16 bytes), 22 chars, not starting with '-'
  local id
  while :; do
    id=$(head -c 16 /dev/urandom | base64 | tr '+/' '-_' | tr -d '=\n' | cut -c1-22)
    [[ ${id:0:1} != "-" ]] && { echo "$id"; return; }
  done
}

formatted_for() { # format.stamp -> its Kafka version and controller port (older stamps name the broker port too)
  { tr ' ' '\n' <"$1"; } 2>/dev/null | grep -E '^(kafka|controller)=' | paste -sd' ' || true
}

start_kafka() {
  local dir=$STATE/kafka data=$STATE/data/kafka cp="$KAFKA_HOME/libs/*"
  mkdir -p "$dir"
  # The controller's address is written into the data when it is formatted (--standalone).
  local stamp="kafka=$KAFKA_VERSION controller=$KAFKA_CONTROLLER_PORT" was
  was=$(formatted_for "$dir/format.stamp")
  if [[ -f $data/meta.properties && $was != "$stamp" ]]; then
    # Not wiped: the read models and the deciders' state in FerretDB would be ahead of an empty log.
    die "kafka: $data was formatted for '${was:-unknown}', not '$stamp': start with those, or run 'pnpm infra:reset' to start every component empty"
  fi
  sed -e "s#@KAFKA_PORT@#$KAFKA_PORT#g" -e "s#@CONTROLLER_PORT@#$KAFKA_CONTROLLER_PORT#g" \
    -e "s#@DATA_DIR@#$data#g" "$SCRIPT_DIR/kafka/server.properties.tmpl" >"$dir/server.properties"
  if [[ ! -f $data/meta.properties ]]; then
    local t0; t0=$(now_ms)
    mkdir -p "$data"
    java -Xmx256m -Dlog4j2.configurationFile="file:$SCRIPT_DIR/kafka/log4j2.properties" \
      -cp "$cp" kafka.tools.StorageTool format --standalone -t "$(kafka_cluster_id)" \
      -c "$dir/server.properties" --ignore-formatted >"$LOGS/kafka-format.log" 2>&1 ||
      { cat "$LOGS/kafka-format.log" >&2; die "kafka: storage format failed"; }
    echo "$stamp" >"$dir/format.stamp"
    clog kafka "storage formatted in $(elapsed "$t0")"
  fi
  spawn kafka "$dir" java -Xms256m -Xmx768m -server -XX:+UseG1GC -XX:MaxGCPauseMillis=20 \
    -XX:+ExplicitGCInvokesConcurrent -XX:TieredStopAtLevel=1 -Djava.awt.headless=true \
    -Dlog4j2.configurationFile="file:$SCRIPT_DIR/kafka/log4j2.properties" \
    -Dkafka.logs.dir="$LOGS" -Dcdp.infra.state="$STATE" \
    -cp "$cp" kafka.Kafka "$dir/server.properties"
}

start_ferretdb() {
  local dir=$STATE/ferretdb
  mkdir -p "$dir" "$STATE/data/ferretdb"
  spawn ferretdb "$dir" "$FERRETDB_HOME/ferretdb-run" \
    --listen-addr "127.0.0.1:$MONGO_PORT" --data-dir "$STATE/data/ferretdb" --log-level warn
}

start_apicurio() {
  local dir=$STATE/apicurio
  if ((${EVENTS_PREDATE_REGISTRY_STORE:-0})); then
    clog apicurio "warning: this state dir's events were written while the registry kept schemas in memory;" \
      "those events no longer decode (pnpm infra:reset starts clean)"
  fi
  mkdir -p "$dir" "$STATE/data/apicurio"
  clog apicurio "Apicurio $APICURIO_VERSION on $APICURIO_JAVA (Java $(java_major "$APICURIO_JAVA"))"
  # Schemas live in an H2 file beside Kafka's data, not in memory: every event names its schema by the
  # registry's id, so a registry that forgot them across a restart would make old events undecodable
  # (no replay from offset 0).
  spawn apicurio "$dir" "$APICURIO_JAVA" -Xms128m -Xmx512m -XX:TieredStopAtLevel=1 -Djava.awt.headless=true \
    -Dcdp.infra.state="$STATE" \
    -Dapicurio.datasource.url="jdbc:h2:file:$STATE/data/apicurio/registry" \
    -Dquarkus.http.host=127.0.0.1 -Dquarkus.http.port="$REGISTRY_PORT" \
    -Dquarkus.management.host=127.0.0.1 -Dquarkus.management.port="$REGISTRY_MGMT_PORT" \
    -jar "$(apicurio_jar)"
}

java_major() { # java binary -> major version number
  "$1" -XshowSettings:properties -version 2>&1 | awk -F'= ' '/java.specification.version =/ {print $2; exit}' | cut -d. -f1
}

# Prints the newest java >= $1 found: APICURIO_JAVA_HOME if set, `java` on PATH, /usr/lib/jvm/*.
find_java() { # min_major
  local min=$1 j v best="" bestv=0
  if [[ -n ${APICURIO_JAVA_HOME:-} ]]; then
    j=$APICURIO_JAVA_HOME/bin/java
    [[ -x $j ]] || die "APICURIO_JAVA_HOME=$APICURIO_JAVA_HOME has no bin/java"
    v=$(java_major "$j")
    ((v >= min)) || return 1
    echo "$j"; return 0
  fi
  for j in "$(command -v java || true)" /usr/lib/jvm/*/bin/java; do
    [[ -x $j ]] || continue
    v=$(java_major "$j")
    [[ $v =~ ^[0-9]+$ ]] || continue
    if ((v >= min && v > bestv)); then best=$j; bestv=$v; fi
  done
  [[ -n $best ]] && echo "$best"
}

# Apicurio Registry 3.1+ (3.3.3 here) is compiled for Java 21 (class file 65); 3.0.x runs on 17.
# Sets APICURIO_VERSION, APICURIO_HOME and APICURIO_JAVA.
select_apicurio() {
  local min=21
  [[ $APICURIO_VERSION == 3.0.* || $APICURIO_VERSION == 2.* ]] && min=17
  if APICURIO_JAVA=$(find_java "$min"); then
    :
  elif [[ -z ${INFRA_APICURIO_VERSION:-} ]] && APICURIO_JAVA=$(find_java 17); then
    clog apicurio "no Java 21+ found (Apicurio $APICURIO_VERSION needs it; set APICURIO_JAVA_HOME); falling back to Apicurio $APICURIO_FALLBACK_VERSION"
    APICURIO_VERSION=$APICURIO_FALLBACK_VERSION
  else
    die "missing prerequisite: Java $min+ for Apicurio Registry $APICURIO_VERSION (set APICURIO_JAVA_HOME)"
  fi
  APICURIO_HOME=$CACHE/apicurio-$APICURIO_VERSION
}

is_ready() { # component -> 0 when it answers
  case $1 in
    kafka) port_open "$KAFKA_PORT" && grep -q "Kafka Server started" "$(logfile kafka)" 2>/dev/null ;;
    ferretdb) port_open "$MONGO_PORT" ;;
    apicurio) [[ $(http_status "http://127.0.0.1:$REGISTRY_PORT/apis/ccompat/v7/subjects") == 200 ]] ;;
  esac
}

wait_ready() { # component
  local c=$1 deadline=$((SECONDS + READY_TIMEOUT))
  while ((SECONDS < deadline)); do
    if is_ready "$c"; then return 0; fi
    # Read while the process is in exec, its command line is empty and our_pid fails: only a pid
    # that is gone has exited.
    if ! our_pid "$c" >/dev/null && ! alive "$(cat "$(pidfile "$c")" 2>/dev/null)"; then
      clog "$c" "process exited during start-up"
      tail_log "$c"
      die "$c failed to start (see $(logfile "$c"))"
    fi
    sleep 0.3
  done
  clog "$c" "not ready after ${READY_TIMEOUT}s"
  tail_log "$c"
  die "$c did not become ready within ${READY_TIMEOUT}s (INFRA_READY_TIMEOUT); see $(logfile "$c")"
}

# Checks that none of the component's ports are held by a foreign process.
check_ports_free() { # component
  local c=$1 p
  for p in $(component_ports "$c"); do
    if port_open "$p"; then
      die "port $p needed by $c is already in use by another process (not started by this script); free it or set the INFRA_*_PORT variables"
    fi
  done
}

up_component() { # component; runs in a subshell
  local c=$1 pid t0
  if pid=$(our_pid "$c"); then
    if is_ready "$c"; then
      clog "$c" "already running (pid $pid, port $(component_ports "$c" | cut -d' ' -f1)); reusing"
      return 0
    fi
    clog "$c" "running (pid $pid) but not answering yet; waiting"
    t0=$(now_ms); wait_ready "$c"; clog "$c" "ready after $(elapsed "$t0")"
    return 0
  fi
  rm -f "$(pidfile "$c")"
  check_ports_free "$c"
  [[ $c == apicurio ]] && select_apicurio
  ensure_installed "$c"
  mark_used "$(home_of "$c")"
  t0=$(now_ms)
  "start_$c"
  wait_ready "$c"
  clog "$c" "started (pid $(<"$(pidfile "$c")")), ready in $(elapsed "$t0")"
}

# ---------------------------------------------------------------- commands

with_state_lock() {
  mkdir -p "$STATE"
  exec 8>"$STATE/.lock"
  flock 8
}

# Fails fast, before anything starts: foreign processes on our ports, missing tools for the
# installs that are needed. (Each component re-checks when it starts.)
precheck() {
  local c p problems=() need=()
  for c in "${COMPONENTS[@]}"; do
    our_pid "$c" >/dev/null && continue
    for p in $(component_ports "$c"); do
      port_open "$p" && problems+=("port $p needed by $c is already in use by another process (not started by this script)")
    done
  done
  [[ -d $KAFKA_HOME/libs ]] || need+=(mvn)
  compgen -G "$CACHE/apicurio-*/app/*.jar" >/dev/null || need+=(mvn tar)
  [[ -x $FERRETDB_HOME/ferretdb-run ]] || need+=(go patch)
  for c in "${need[@]}"; do
    command -v "$c" >/dev/null 2>&1 || problems+=("missing prerequisite: $c (needed to install into $CACHE)")
  done
  if ((${#problems[@]} > 0)); then
    printf '[infra] ERROR: %s\n' "${problems[@]}" >&2
    die "up aborted; free the port(s) or set the INFRA_*_PORT variables / install the missing tools"
  fi
}

cmd_up() {
  if [[ -n ${KAFKA_BROKERS:-} && -n ${MONGODB_URI:-} && -n ${SCHEMA_REGISTRY_URL:-} ]]; then
    log "KAFKA_BROKERS, MONGODB_URI and SCHEMA_REGISTRY_URL are already set; starting nothing"
    printf 'KAFKA_BROKERS=%s\nMONGODB_URI=%s\nSCHEMA_REGISTRY_URL=%s\n' "$KAFKA_BROKERS" "$MONGODB_URI" "$SCHEMA_REGISTRY_URL"
    return 0
  fi
  require_cmds java curl setsid flock timeout
  with_state_lock
  mkdir -p "$LOGS" "$RUN" "$CACHE"
  precheck
  local t0 c rc=0 failed=()
  t0=$(now_ms)
  # Judged before Kafka starts: a first start formats Kafka's data while the registry's is still absent.
  EVENTS_PREDATE_REGISTRY_STORE=0
  if [[ -d $STATE/data/kafka && ! -d $STATE/data/apicurio ]]; then EVENTS_PREDATE_REGISTRY_STORE=1; fi
  declare -A pids=()
  for c in "${COMPONENTS[@]}"; do
    (up_component "$c") &
    pids[$c]=$!
  done
  for c in "${COMPONENTS[@]}"; do
    if ! wait "${pids[$c]}"; then rc=1; failed+=("$c"); fi
  done
  if ((rc != 0)); then
    die "up failed for: ${failed[*]} (others left running; 'down' stops them)"
  fi
  env_lines >"$STATE/env"
  log "all components ready in $(elapsed "$t0"); wrote $STATE/env"
  env_lines
  # Last, and never failing `up`: the components are up and their env printed.
  prune_cache || log "the cache was not cleaned"
}

stop_component() { # component
  local c=$1 pid t0 deadline
  if ! pid=$(our_pid "$c"); then
    rm -f "$(pidfile "$c")"
    clog "$c" "not running"
    return 0
  fi
  t0=$(now_ms)
  kill -TERM "$pid" 2>/dev/null || true
  deadline=$((SECONDS + STOP_TIMEOUT))
  while alive "$pid" && ((SECONDS < deadline)); do sleep 0.2; done
  if alive "$pid"; then
    clog "$c" "still alive after ${STOP_TIMEOUT}s; sending SIGKILL"
    kill -KILL "$pid" 2>/dev/null || true
    while alive "$pid"; do sleep 0.1; done
  fi
  rm -f "$(pidfile "$c")"
  clog "$c" "stopped (pid $pid) in $(elapsed "$t0")"
}

cmd_down() {
  with_state_lock
  local c pids=()
  for c in "${COMPONENTS[@]}"; do
    stop_component "$c" &
    pids+=($!)
  done
  local p rc=0
  for p in "${pids[@]}"; do wait "$p" || rc=1; done
  rm -f "$STATE/env"
  return $rc
}

cmd_status() {
  local c pid ports all_up=0
  for c in "${COMPONENTS[@]}"; do
    ports=$(component_ports "$c")
    if pid=$(our_pid "$c"); then
      if is_ready "$c"; then
        printf '%-9s up        pid=%-8s port=%s\n' "$c" "$pid" "${ports// /,}"
      else
        printf '%-9s starting  pid=%-8s port=%s (not answering yet)\n' "$c" "$pid" "${ports// /,}"
        all_up=1
      fi
    else
      local p foreign=""
      for p in $ports; do port_open "$p" && foreign+=" $p"; done
      if [[ -n $foreign ]]; then
        printf '%-9s down      port=%s (in use by another process:%s)\n' "$c" "${ports// /,}" "$foreign"
      else
        printf '%-9s down      port=%s\n' "$c" "${ports// /,}"
      fi
      all_up=1
    fi
  done
  printf 'state=%s cache=%s\n' "$STATE" "$CACHE"
  return $all_up
}

cmd_reset() {
  cmd_down
  exec 8>&-
  rm -rf "$STATE"
  log "removed state dir $STATE (cache $CACHE kept)"
}

cmd_ferretdb_bin() { # tests that run a FerretDB of their own find its build here, not by a path of their own
  mkdir -p "$CACHE"
  ensure_installed ferretdb
  mark_used "$FERRETDB_HOME"
  printf '%s\n' "$FERRETDB_HOME/ferretdb-run"
}

usage() {
  cat >&2 <<EOF
usage: bash infra/local/infra.sh up|down|status|reset|env|ferretdb-bin
  up      install (into $CACHE) and start Kafka $KAFKA_VERSION, FerretDB $FERRETDB_VERSION,
          Apicurio Registry $APICURIO_VERSION; prints/writes the connection env
  down    stop them (SIGTERM, SIGKILL after ${STOP_TIMEOUT}s)
  status  show each component up/down with pid and port (exit 1 if any is down)
  reset   down + delete the state dir $STATE (keeps the cache)
  env     print KAFKA_BROKERS, MONGODB_URI, SCHEMA_REGISTRY_URL
  ferretdb-bin  print the path of the FerretDB build this clone runs (built first if missing)
EOF
}

main() {
  local cmd=${1:-}
  case $cmd in
    up) cmd_up ;;
    down) cmd_down ;;
    status) cmd_status ;;
    reset) cmd_reset ;;
    env) env_lines ;;
    ferretdb-bin) cmd_ferretdb_bin ;;
    -h | --help | help) usage ;;
    *) usage; exit 2 ;;
  esac
}

main "$@"
