#!/usr/bin/env bash
# Local Apache Kafka broker for development and tests: one KRaft node (broker and
# controller in one JVM) on 127.0.0.1, jars resolved from Maven Central with
# infra/kafka/pom.xml, all state under ${NDR_LOCAL_DIR:-<repo>/.local}/kafka/.
# Run with --help for commands and settings.
set -euo pipefail

script_dir=$(cd -- "$(dirname -- "${BASH_SOURCE[0]}")" && pwd)
repo_root=$(cd -- "$script_dir/../.." && pwd)
pom=$script_dir/pom.xml

state_dir=${NDR_LOCAL_DIR:-$repo_root/.local}/kafka
lib_dir=$state_dir/lib
data_dir=$state_dir/data
logs_dir=$state_dir/logs
props_file=$state_dir/server.properties
log4j_file=$state_dir/log4j2.properties
pid_file=$state_dir/kafka.pid
cluster_id_file=$state_dir/cluster.id
stamp_file=$lib_dir/.resolved
lock_file=$state_dir/kafka.lock
server_log=$logs_dir/server.log
stdout_log=$logs_dir/stdout.log

host=127.0.0.1
port=${KAFKA_PORT:-19092}
controller_port=${KAFKA_CONTROLLER_PORT:-19093}
heap_opts=${KAFKA_HEAP_OPTS:--Xmx512m -Xms256m}
extra_jvm_opts=${KAFKA_OPTS:-}
start_timeout_s=${KAFKA_START_TIMEOUT_S:-60}
stop_timeout_s=${KAFKA_STOP_TIMEOUT_S:-30}

usage() {
  cat <<EOF
Usage: infra/kafka/kafka.sh <command>

Local Apache Kafka broker (KRaft, single node, 127.0.0.1 only) for development
and tests. Jars come from Maven Central via infra/kafka/pom.xml.

Commands:
  up        Start the broker and wait until it serves requests, consumer groups
            and idempotent producers; a quick no-op if it already runs. The
            first run resolves the jars with Maven and formats the storage.
  down      Stop the broker (SIGTERM, then SIGKILL after KAFKA_STOP_TIMEOUT_S).
  status    Print running/stopped. Exit 0 running, 3 stopped,
            4 process alive but not answering (starting or hung).
  logs      Print the end of the server log.  logs [-n LINES] [-f]

Environment:
  KAFKA_PORT              client listener port            (default 19092)
  KAFKA_CONTROLLER_PORT   KRaft controller listener port  (default 19093)
  KAFKA_HEAP_OPTS         JVM heap                        (default "-Xmx512m -Xms256m")
  KAFKA_OPTS              extra JVM options               (default none)
  KAFKA_START_TIMEOUT_S   how long 'up' waits for the broker   (default 60)
  KAFKA_STOP_TIMEOUT_S    how long 'down' waits before SIGKILL (default 30)
  NDR_LOCAL_DIR           state root; Kafka uses \$NDR_LOCAL_DIR/kafka (default <repo>/.local)
  MAVEN_REPO_LOCAL        Maven local repository (default ~/.m2/repository)

State (all git-ignored): $state_dir
  lib/ jars   data/ topic and metadata logs   logs/ server.log, stdout.log
  server.properties (rewritten on each start)   kafka.pid   cluster.id
EOF
}

die() {
  echo "kafka.sh: $*" >&2
  exit 1
}

note() { echo "kafka.sh: $*" >&2; }

# --- checks -----------------------------------------------------------------

is_uint() { [[ $1 =~ ^[0-9]+$ ]]; }

check_port() {
  if ! is_uint "$2" || (($2 < 1 || $2 > 65535)); then
    die "$1 must be a TCP port number (1-65535), got '$2'"
  fi
}

check_settings() {
  check_port KAFKA_PORT "$port"
  check_port KAFKA_CONTROLLER_PORT "$controller_port"
  [[ $port != "$controller_port" ]] ||
    die "KAFKA_PORT and KAFKA_CONTROLLER_PORT must differ (both are $port)"
  is_uint "$start_timeout_s" || die "KAFKA_START_TIMEOUT_S must be whole seconds, got '$start_timeout_s'"
  is_uint "$stop_timeout_s" || die "KAFKA_STOP_TIMEOUT_S must be whole seconds, got '$stop_timeout_s'"
}

check_java() {
  command -v java >/dev/null || die "java not found; Kafka 4.x needs Java 17 or newer (e.g. apt-get install openjdk-17-jre-headless)"
  local major
  major=$(java -version 2>&1 | sed -n 's/.* version "\([0-9]*\).*/\1/p' | head -n 1)
  if [[ -z $major ]] || ((major < 17)); then
    die "Kafka 4.x needs Java 17 or newer, found: $(java -version 2>&1 | head -n 1)"
  fi
}

# The Kafka version pinned in pom.xml.
pinned_version() {
  local v
  v=$(sed -n 's:.*<kafka.version>\(.*\)</kafka.version>.*:\1:p' "$pom" | head -n 1)
  [[ -n $v ]] || die "cannot read <kafka.version> from $pom"
  echo "$v"
}

# What lib/ must have been resolved from: the pinned version and the pom's hash,
# so any change to pom.xml resolves the jars again.
wanted_stamp() {
  echo "kafka=$(pinned_version) pom-sha256=$(sha256sum "$pom" | cut -c1-16)"
}

# Version of the jars in lib/ (what a broker started from them runs).
lib_version() {
  sed -n 's/^kafka=\([^ ]*\).*/\1/p' "$stamp_file" 2>/dev/null || true
}

# --- process and port probes -----------------------------------------------

# The process exists and is not a zombie (kill -0 succeeds on zombies, which linger
# here until the sandbox's init reaps them).
alive() {
  local state
  state=$(sed -n 's/^State:[[:space:]]*\(.\).*/\1/p' "/proc/$1/status" 2>/dev/null) || return 1
  [[ -n $state && $state != Z && $state != X ]]
}

# Pid from kafka.pid if that process is our broker (java running kafka.Kafka
# with our server.properties); empty otherwise.
our_pid() {
  local pid
  [[ -f $pid_file ]] || return 0
  pid=$(<"$pid_file")
  is_uint "$pid" || return 0
  alive "$pid" || return 0
  if tr '\0' ' ' <"/proc/$pid/cmdline" 2>/dev/null | grep -qF "kafka.Kafka $props_file"; then
    echo "$pid"
  fi
}

# Something accepts TCP connections on 127.0.0.1:$1.
port_open() {
  timeout 2 bash -c "exec 3<>/dev/tcp/$host/$1" 2>/dev/null
}

# --- Kafka wire protocol probes (no JVM: cheap enough to poll) -------------
# Requests are built as hex: big-endian integers, int16-length strings, and a
# v1 request header (api_key, api_version, correlation_id, null client_id).

hex16() { printf '%04x' $(($1 & 0xffff)); }
hex32() { printf '%08x' $(($1 & 0xffffffff)); }
hexstr() { printf '%s%s' "$(hex16 ${#1})" "$(printf '%s' "$1" | od -An -tx1 | tr -d ' \n')"; }

# request API_KEY VERSION CORRELATION_ID BODY_HEX: one size-prefixed request, as hex.
request() {
  local msg
  msg=$(hex16 "$1")$(hex16 "$2")$(hex32 "$3")ffff$4
  printf '%s%s' "$(hex32 $((${#msg} / 2)))" "$msg"
}

# exchange PORT REQUESTS_HEX NBYTES: sends the requests to 127.0.0.1:PORT on one
# connection and prints the first NBYTES of the replies as hex.
exchange() {
  local bytes
  # shellcheck disable=SC2001 # every byte pair becomes a printf escape
  bytes=$(sed 's/../\\x&/g' <<<"$2")
  # shellcheck disable=SC2016 # expanded by the inner shell, from its arguments
  timeout 3 bash -c 'exec 3<>"/dev/tcp/$0/$1" || exit 1; printf "$2" >&3; od -An -tx1 -N"$3" <&3' \
    "$host" "$1" "$bytes" "$3" 2>/dev/null | tr -d ' \n'
}

# A Kafka broker on 127.0.0.1:$1 answers ApiVersions (v0) without error.
kafka_answers() {
  local reply
  reply=$(exchange "$1" "$(request 18 0 1 '')" 10) || return 1
  # size, correlation_id=1, error_code=0
  [[ $reply =~ ^[0-9a-f]{8}000000010000$ ]]
}

# Group names that land on each __consumer_offsets partition, the way the group
# coordinator maps them: abs(String.hashCode(group)) % partitions.
probe_groups() {
  local n=$1 i=0 j c h name
  local -A seen=()
  while ((${#seen[@]} < n && i < 1000)); do
    name=kafka-sh-ready-$i
    h=0
    for ((j = 0; j < ${#name}; j++)); do
      printf -v c '%d' "'${name:j:1}"
      h=$(((31 * h + c) & 0xffffffff))
    done
    ((h < 0x80000000)) || h=$((0x100000000 - h))
    if [[ -z ${seen[$((h % n))]:-} ]]; then
      seen[$((h % n))]=1
      echo "$name"
    fi
    i=$((i + 1))
  done
}

# Consumer groups work on 127.0.0.1:$1: an OffsetFetch (v2) for a group on every
# __consumer_offsets partition returns no error. Right after a start the
# coordinator is still loading (COORDINATOR_LOAD_IN_PROGRESS), and on a fresh
# data dir the topic does not exist until a FindCoordinator (v0) creates it.
groups_ready() {
  local port=$1 parts reqs='' i=0 g reply
  parts=$(sed -n 's/^offsets.topic.num.partitions=//p' "$props_file")
  local -a groups
  mapfile -t groups < <(probe_groups "${parts:-50}")
  exchange "$port" "$(request 10 0 1 "$(hexstr "${groups[0]}")")" 10 >/dev/null || return 1
  for g in "${groups[@]}"; do
    i=$((i + 1))
    reqs+=$(request 9 2 "$i" "$(hexstr "$g")ffffffff") # topics=null: all
  done
  reply=$(exchange "$port" "$reqs" $((14 * i))) || return 1
  ((${#reply} == 28 * i)) || return 1
  # Each reply: size, correlation_id, topics=[] (0 entries), error_code=0.
  for ((g = 0; g < i; g++)); do
    [[ ${reply:g*28+16:12} == 000000000000 ]] || return 1
  done
}

# Port of the running broker's client listener, from the server.properties it was started with.
running_port() {
  sed -n "s|^listeners=PLAINTEXT://$host:\([0-9]*\),.*|\1|p" "$props_file" 2>/dev/null || true
}

describe_listener() {
  local line
  line=$(ss -ltnpH "sport = :$1" 2>/dev/null | head -n 1 || true)
  [[ -n $line ]] && echo " ($(echo "$line" | awk '{print $4, $6}'))"
  return 0
}

running_line() {
  local pid=$1 state=$2
  echo "kafka $(lib_version) $state at $host:$(running_port) (pid $pid, data in $data_dir)"
}

print_log_tails() {
  local f
  for f in "$server_log" "$stdout_log"; do
    if [[ -s $f ]]; then
      echo "--- last 50 lines of $f ---" >&2
      tail -n 50 "$f" >&2
    fi
  done
}

# Idempotent producers work on 127.0.0.1:$1: InitProducerId (v0, no transactional
# id) returns no error. The first one after each start gets
# COORDINATOR_LOAD_IN_PROGRESS while the broker fetches a block of producer ids
# from the controller; this call sets that fetch off.
producer_ids_ready() {
  local reply
  reply=$(exchange "$1" "$(request 22 0 1 "ffff$(hex32 60000)")" 14) || return 1
  # size, correlation_id, throttle_time_ms, error_code=0
  [[ ${#reply} -eq 28 && ${reply:24:4} == 0000 ]]
}

# --- up steps ---------------------------------------------------------------

take_lock() {
  mkdir -p "$state_dir"
  exec 9>"$lock_file"
  flock -w 300 9 || die "another kafka.sh up/down holds $lock_file; wait for it to finish"
}

resolve_jars() {
  local want
  want=$(wanted_stamp)
  if [[ -f $stamp_file && $(<"$stamp_file") == "$want" && -f $lib_dir/kafka_2.13-$(pinned_version).jar ]]; then
    return 0
  fi
  command -v mvn >/dev/null || die "mvn not found; install Maven 3.8+ (e.g. apt-get install maven)"
  note "resolving Kafka $(pinned_version) jars with Maven into $lib_dir"
  local tmp=$state_dir/lib.new
  rm -rf "$tmp"
  local -a mvn_args=(-q -B -Dstyle.color=never -f "$pom")
  [[ -n ${MAVEN_REPO_LOCAL:-} ]] && mvn_args+=("-Dmaven.repo.local=$MAVEN_REPO_LOCAL")
  # -q leaves only errors; they are shown if it fails (the file also drops the
  # colour resets Maven 3.8 prints even in batch mode).
  mkdir -p "$logs_dir"
  if ! mvn "${mvn_args[@]}" dependency:copy-dependencies "-DoutputDirectory=$tmp" >"$logs_dir/mvn.log" 2>&1; then
    sed 's/\x1b\[[0-9;]*m//g' "$logs_dir/mvn.log" | grep -v '^[[:space:]]*$' >&2 || true
    rm -rf "$tmp"
    die "Maven could not resolve the jars (errors above, also in $logs_dir/mvn.log); check that Maven Central is reachable, or point MAVEN_REPO_LOCAL at a repository that has them"
  fi
  [[ -f $tmp/kafka_2.13-$(pinned_version).jar ]] || die "Maven finished but $tmp has no kafka_2.13-$(pinned_version).jar"
  echo "$want" >"$tmp/.resolved"
  rm -rf "$lib_dir"
  mv "$tmp" "$lib_dir"
}

write_config() {
  mkdir -p "$data_dir" "$logs_dir"
  cat >"$props_file.tmp" <<EOF
# Generated by infra/kafka/kafka.sh on each start; edit the script, not this file.
# One KRaft node: broker and controller in one process, 127.0.0.1 only.
process.roles=broker,controller
node.id=1
listeners=PLAINTEXT://$host:$port,CONTROLLER://$host:$controller_port
advertised.listeners=PLAINTEXT://$host:$port
listener.security.protocol.map=PLAINTEXT:PLAINTEXT,CONTROLLER:PLAINTEXT
inter.broker.listener.name=PLAINTEXT
controller.listener.names=CONTROLLER
# Static quorum of one voter: the ports come from this file on every start, so
# changing KAFKA_CONTROLLER_PORT needs no re-format.
controller.quorum.voters=1@$host:$controller_port
log.dirs=$data_dir

# Topics must be created on purpose: a mistyped topic name fails loudly
# (UNKNOWN_TOPIC_OR_PARTITION) instead of silently creating a new topic.
auto.create.topics.enable=false
num.partitions=3
default.replication.factor=1
min.insync.replicas=1
offsets.topic.replication.factor=1
# 50 by default; fewer makes the first consumer group on a fresh broker ready sooner.
offsets.topic.num.partitions=10
transaction.state.log.replication.factor=1
transaction.state.log.min.isr=1
share.coordinator.state.topic.replication.factor=1
share.coordinator.state.topic.min.isr=1
# Consumers in tests join at once instead of after 3 s.
group.initial.rebalance.delay.ms=0

# 4 MiB records and batches (test payloads up to 2 MB and headroom).
message.max.bytes=4194304
replica.fetch.max.bytes=4194304

# A shared 2-core machine: fewer threads than the defaults (3 network, 8 io).
num.network.threads=2
num.io.threads=4
EOF
  mv "$props_file.tmp" "$props_file"

  cat >"$log4j_file" <<EOF
# Generated by infra/kafka/kafka.sh. One rolling file: logs/server.log.
status = warn
appender.server.type = RollingFile
appender.server.name = server
appender.server.fileName = $server_log
appender.server.filePattern = $server_log.%i
appender.server.layout.type = PatternLayout
appender.server.layout.pattern = [%d] %p %m (%c)%n
appender.server.policies.type = Policies
appender.server.policies.size.type = SizeBasedTriggeringPolicy
appender.server.policies.size.size = 20MB
appender.server.strategy.type = DefaultRolloverStrategy
appender.server.strategy.max = 3
rootLogger.level = info
rootLogger.appenderRef.server.ref = server
logger.request.name = kafka.request.logger
logger.request.level = warn
logger.statechange.name = state.change.logger
logger.statechange.level = warn
EOF
}

format_storage() {
  [[ -f $data_dir/meta.properties ]] && return 0
  local cluster_id
  if [[ -s $cluster_id_file ]]; then
    cluster_id=$(<"$cluster_id_file")
  else
    cluster_id=$(java -cp "$lib_dir/*" kafka.tools.StorageTool random-uuid 2>/dev/null | tail -n 1)
    [[ -n $cluster_id ]] || die "kafka.tools.StorageTool random-uuid printed nothing; check the jars in $lib_dir"
    echo "$cluster_id" >"$cluster_id_file"
  fi
  note "formatting $data_dir (cluster id $cluster_id)"
  java -Dlog4j2.configurationFile="file:$log4j_file" -cp "$lib_dir/*" \
    kafka.tools.StorageTool format --config "$props_file" --cluster-id "$cluster_id" >"$logs_dir/format.log" 2>&1 || {
    cat "$logs_dir/format.log" >&2
    die "formatting $data_dir failed (output above)"
  }
}

refuse_taken_ports() {
  local name p
  for name in KAFKA_PORT KAFKA_CONTROLLER_PORT; do
    p=$port
    [[ $name == KAFKA_PORT ]] || p=$controller_port
    if port_open "$p"; then
      die "$host:$p is already in use by a process that is not this broker$(describe_listener "$p"); set $name to a free port, or stop that process"
    fi
  done
}

start_broker() {
  # setsid: the broker outlives the calling shell or test runner and does not get
  # its Ctrl-C. All fds are redirected (and the lock fd closed) so callers that
  # wait for our output, like execFile, are not held open by the JVM.
  local -a jvm_opts
  read -r -a jvm_opts <<<"$heap_opts -XX:+UseG1GC -XX:MaxGCPauseMillis=20 -XX:InitiatingHeapOccupancyPercent=35 -XX:+ExplicitGCInvokesConcurrent -Djava.awt.headless=true $extra_jvm_opts"
  (
    cd "$state_dir"
    exec setsid java "${jvm_opts[@]}" \
      -Dlog4j2.configurationFile="file:$log4j_file" -Dkafka.logs.dir="$logs_dir" \
      -cp "$lib_dir/*" kafka.Kafka "$props_file" \
      </dev/null >"$stdout_log" 2>&1 9>&-
  ) &
  echo $! >"$pid_file"
}

wait_until_ready() {
  local pid=$1 deadline=$((SECONDS + start_timeout_s))
  while ((SECONDS < deadline)); do
    if ! alive "$pid"; then
      print_log_tails
      rm -f "$pid_file"
      die "the broker exited while starting (log above). If data/ was written by another Kafka version, remove $data_dir (this loses local topics)"
    fi
    if kafka_answers "$port" && groups_ready "$port" && producer_ids_ready "$port"; then
      return 0
    fi
    sleep 0.5
  done
  print_log_tails
  note "the broker did not answer on $host:$port within ${start_timeout_s}s (log above); stopping it"
  stop_pid "$pid" >/dev/null
  die "start timed out; on a busy machine raise KAFKA_START_TIMEOUT_S"
}

cmd_up() {
  check_settings
  take_lock
  local pid
  pid=$(our_pid)
  if [[ -n $pid ]]; then
    local rport
    rport=$(running_port)
    if kafka_answers "$rport"; then
      [[ $rport == "$port" ]] || note "KAFKA_PORT=$port, but the running broker listens on $rport; run 'down' then 'up' to move it"
      [[ $(lib_version) == "$(pinned_version)" && $(<"$stamp_file") == "$(wanted_stamp)" ]] ||
        note "the running broker was started from other jars than pom.xml pins; run 'down' then 'up' to switch"
      running_line "$pid" "already running"
      return 0
    fi
    # Alive but silent: another 'up' started it moments ago, or it hangs.
    port=$rport
    wait_until_ready "$pid"
    running_line "$pid" running
    return 0
  fi
  rm -f "$pid_file"

  check_java
  refuse_taken_ports
  resolve_jars
  write_config
  format_storage
  start_broker
  pid=$(<"$pid_file")
  wait_until_ready "$pid"
  [[ -n $(our_pid) ]] || die "a broker answers on $host:$port but pid $pid is not it; check 'ss -ltnp' and $pid_file"
  running_line "$pid" running
}

# --- down / status / logs ---------------------------------------------------

stop_pid() {
  local pid=$1 deadline=$((SECONDS + stop_timeout_s))
  kill -TERM "$pid" 2>/dev/null || true
  while alive "$pid" && ((SECONDS < deadline)); do
    sleep 0.5
  done
  if alive "$pid"; then
    note "pid $pid did not stop within ${stop_timeout_s}s of SIGTERM; sending SIGKILL"
    kill -KILL "$pid" 2>/dev/null || true
    deadline=$((SECONDS + 10))
    while alive "$pid" && ((SECONDS < deadline)); do sleep 0.2; done
    if alive "$pid"; then
      die "pid $pid survived SIGKILL for 10s; check it with 'ps -o pid,stat,args -p $pid'"
    fi
  fi
}

cmd_down() {
  check_settings
  take_lock
  local pid started=$SECONDS
  pid=$(our_pid)
  if [[ -z $pid ]]; then
    rm -f "$pid_file"
    echo "kafka is not running"
    return 0
  fi
  stop_pid "$pid"
  rm -f "$pid_file"
  echo "kafka stopped (pid $pid, $((SECONDS - started))s)"
}

cmd_status() {
  local pid
  pid=$(our_pid)
  if [[ -z $pid ]]; then
    echo "kafka stopped (state in $state_dir)"
    return 3
  fi
  if kafka_answers "$(running_port)"; then
    running_line "$pid" running
    return 0
  fi
  echo "kafka process alive but not answering at $host:$(running_port) (pid $pid): starting or hung; see 'kafka.sh logs'"
  return 4
}

cmd_logs() {
  local lines=100 follow=
  while (($#)); do
    case $1 in
      -n)
        if [[ $# -lt 2 ]] || ! is_uint "$2"; then die "logs -n needs a number of lines"; fi
        lines=$2
        shift 2
        ;;
      -f) follow=1; shift ;;
      *) die "logs: unknown option '$1' (use: logs [-n LINES] [-f])" ;;
    esac
  done
  [[ -f $server_log ]] || die "no log yet at $server_log; start the broker with 'kafka.sh up'"
  if [[ -n $follow ]]; then
    exec tail -n "$lines" -F "$server_log"
  fi
  tail -n "$lines" "$server_log"
}

main() {
  local cmd=${1:-}
  [[ $# -gt 0 ]] && shift
  case $cmd in
    up | down | status)
      [[ $# -eq 0 ]] || die "$cmd takes no arguments (settings come from the environment; see --help)"
      "cmd_$cmd"
      ;;
    logs) cmd_logs "$@" ;;
    -h | --help | help) usage ;;
    '') usage >&2; exit 2 ;;
    *) echo "kafka.sh: unknown command '$cmd'" >&2; usage >&2; exit 2 ;;
  esac
}

main "$@"
