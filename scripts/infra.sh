#!/usr/bin/env bash
# Starts, stops and reports the Redis, Kafka and HBase servers that Tidings runs against,
# as local child processes bound to 127.0.0.1. Run with "help" for the usage text.
set -euo pipefail

usage() {
  cat <<'EOF'
Usage: scripts/infra.sh COMMAND SERVER...

Commands:
  start SERVER...    Start the servers and wait until each is ready. A server that is
                     already running and healthy is left alone ("already running").
  stop SERVER...     Stop the processes named by the pid files: SIGTERM first, SIGKILL
                     after the stop timeout. Removes the pid files.
  status SERVER...   Print one line per server: name, pid, port, health. Exits 3 when a
                     server is not running healthy.
  install SERVER...  Install redis-server (apt) and fill the jar cache, without starting.
  help               Print this text.

SERVER is redis, kafka, hbase or all. Without SERVER, the command applies to all three.

Environment (defaults in brackets):
  TIDINGS_STATE_DIR                 data, config, pid files and logs [<repo>/.tidings/local]
  TIDINGS_CACHE_DIR                 jar cache shared by all clones [$HOME/.cache/tidings]
  TIDINGS_REDIS_PORT                Redis port [16379]
  TIDINGS_KAFKA_PORT                Kafka broker (PLAINTEXT) port [19092]
  TIDINGS_KAFKA_CONTROLLER_PORT     Kafka KRaft controller port [19093]
  TIDINGS_ZK_PORT                   ZooKeeper client port embedded in HBase [12181]
  TIDINGS_HBASE_MASTER_PORT         HBase master RPC port [16100]
  TIDINGS_HBASE_REGIONSERVER_PORT   HBase region server RPC port [16120]
  TIDINGS_REDIS_START_TIMEOUT       seconds to wait for readiness [20]
  TIDINGS_KAFKA_START_TIMEOUT       seconds to wait for readiness [120]
  TIDINGS_HBASE_START_TIMEOUT       seconds to wait for readiness [180]
  TIDINGS_REDIS_STOP_TIMEOUT        seconds between SIGTERM and SIGKILL [15]
  TIDINGS_KAFKA_STOP_TIMEOUT        seconds between SIGTERM and SIGKILL [30]
  TIDINGS_HBASE_STOP_TIMEOUT        seconds between SIGTERM and SIGKILL [60]

Layout of the state dir: pids/NAME.pid, logs/NAME.log, conf/NAME/, data/NAME/.
The HBase info (web UI) ports are disabled.
EOF
}

REPO_ROOT=$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)
INFRA_DIR="$REPO_ROOT/scripts/infra"

STATE_DIR=${TIDINGS_STATE_DIR:-$REPO_ROOT/.tidings/local}
CACHE_DIR=${TIDINGS_CACHE_DIR:-$HOME/.cache/tidings}

REDIS_PORT=${TIDINGS_REDIS_PORT:-16379}
KAFKA_PORT=${TIDINGS_KAFKA_PORT:-19092}
KAFKA_CONTROLLER_PORT=${TIDINGS_KAFKA_CONTROLLER_PORT:-19093}
ZK_PORT=${TIDINGS_ZK_PORT:-12181}
HBASE_MASTER_PORT=${TIDINGS_HBASE_MASTER_PORT:-16100}
HBASE_REGIONSERVER_PORT=${TIDINGS_HBASE_REGIONSERVER_PORT:-16120}

REDIS_START_TIMEOUT=${TIDINGS_REDIS_START_TIMEOUT:-20}
KAFKA_START_TIMEOUT=${TIDINGS_KAFKA_START_TIMEOUT:-120}
HBASE_START_TIMEOUT=${TIDINGS_HBASE_START_TIMEOUT:-180}
REDIS_STOP_TIMEOUT=${TIDINGS_REDIS_STOP_TIMEOUT:-15}
KAFKA_STOP_TIMEOUT=${TIDINGS_KAFKA_STOP_TIMEOUT:-30}
HBASE_STOP_TIMEOUT=${TIDINGS_HBASE_STOP_TIMEOUT:-60}

ALL_SERVERS=(redis kafka hbase)

# The Kafka topics of the suite, one per line: name, partition count, then optional
# topic configs (key=value). Creation is idempotent: existing topics are left as they are.
KAFKA_TOPICS=(
  "tidings.messages 8"
  "tidings.push 8"
  "tidings.groups 4 cleanup.policy=compact"
)

# Java 17 needs these to run HBase 2.6 (it reflects into JDK internals).
HBASE_JAVA_FLAGS=(
  --add-opens java.base/java.nio=ALL-UNNAMED
  --add-opens java.base/sun.nio.ch=ALL-UNNAMED
  --add-opens java.base/java.lang=ALL-UNNAMED
  --add-opens java.base/java.lang.reflect=ALL-UNNAMED
  --add-opens java.base/jdk.internal.ref=ALL-UNNAMED
  --add-exports java.base/jdk.internal.misc=ALL-UNNAMED
  -Dorg.apache.hbase.thirdparty.io.netty.tryReflectionSetAccessible=true
)

START_MARKER="==== scripts/infra.sh start"

info() { echo "infra: $*"; }
error() { echo "infra: error: $*" >&2; }

# ---------------------------------------------------------------------------
# Processes, ports and pid files

pid_file() { echo "$STATE_DIR/pids/$1.pid"; }
log_file() { echo "$STATE_DIR/logs/$1.log"; }

# Succeeds when the process exists and is not a zombie: a killed daemonized Redis can stay
# in the process table as a defunct entry, and kill -0 still succeeds on it.
pid_alive() {
  local pid=$1 state
  [[ -r /proc/$pid/stat ]] || return 1
  state=$(sed -E 's/^.*\) ([A-Za-z]).*$/\1/' "/proc/$pid/stat" 2>/dev/null) || return 1
  [[ -n $state && $state != Z && $state != X ]]
}

# Succeeds when the process looks like our server, so that a pid reused by an unrelated
# process after a crash is never signalled. Redis rewrites its command line, so only the
# program name is checked for it. The JVMs carry -Dtidings.infra.state=<state dir>.
pid_is_ours() {
  local name=$1 pid=$2 cmdline
  cmdline=$(tr '\0' ' ' <"/proc/$pid/cmdline" 2>/dev/null) || return 1
  case $name in
    redis) [[ $cmdline == *redis-server* ]] ;;
    *) [[ $cmdline == *"-Dtidings.infra.server=$name "* && $cmdline == *"-Dtidings.infra.state=$STATE_DIR "* ]] ;;
  esac
}

# Prints the pid of the running server and succeeds, or removes a stale pid file and fails.
running_pid() {
  local name=$1 file pid
  file=$(pid_file "$name")
  [[ -f $file ]] || return 1
  pid=$(tr -dc '0-9' <"$file")
  if [[ -n $pid ]] && pid_alive "$pid" && pid_is_ours "$name" "$pid"; then
    echo "$pid"
    return 0
  fi
  rm -f "$file"
  return 1
}

port_open() {
  # shellcheck disable=SC2016
  timeout 2 bash -c 'exec 3<>"/dev/tcp/127.0.0.1/$1"' _ "$1" 2>/dev/null
}

redis_ping() {
  # shellcheck disable=SC2016
  timeout 2 bash -c '
    exec 3<>"/dev/tcp/127.0.0.1/$1" || exit 1
    printf "PING\r\n" >&3
    IFS= read -r reply <&3 || exit 1
    [[ $reply == "+PONG"* ]]' _ "$1" 2>/dev/null
}

server_port() {
  case $1 in
    redis) echo "$REDIS_PORT" ;;
    kafka) echo "$KAFKA_PORT" ;;
    hbase) echo "$HBASE_MASTER_PORT" ;;
  esac
}

# Health as status reports it and as start checks it before leaving a server alone.
server_healthy() {
  case $1 in
    redis) redis_ping "$REDIS_PORT" ;;
    kafka) port_open "$KAFKA_PORT" ;;
    hbase) hbase_initialized && port_open "$HBASE_MASTER_PORT" && port_open "$ZK_PORT" ;;
  esac
}

server_ports_desc() {
  case $1 in
    redis) echo "$REDIS_PORT" ;;
    kafka) echo "$KAFKA_PORT (controller $KAFKA_CONTROLLER_PORT)" ;;
    hbase) echo "$HBASE_MASTER_PORT (region server $HBASE_REGIONSERVER_PORT, zookeeper $ZK_PORT)" ;;
  esac
}

# Fails when another process already listens on a port the server is about to bind.
check_ports_free() {
  local name=$1 port variable
  shift
  for port in "$@"; do
    if port_open "$port"; then
      case $port in
        "$REDIS_PORT") variable=TIDINGS_REDIS_PORT ;;
        "$KAFKA_PORT") variable=TIDINGS_KAFKA_PORT ;;
        "$KAFKA_CONTROLLER_PORT") variable=TIDINGS_KAFKA_CONTROLLER_PORT ;;
        "$ZK_PORT") variable=TIDINGS_ZK_PORT ;;
        "$HBASE_MASTER_PORT") variable=TIDINGS_HBASE_MASTER_PORT ;;
        *) variable=TIDINGS_HBASE_REGIONSERVER_PORT ;;
      esac
      error "$name: port $port on 127.0.0.1 is already in use by a process that has no pid file in $STATE_DIR/pids. Stop that process or set $variable to a free port."
      exit 1
    fi
  done
}

print_log_tail() {
  local name=$1 file
  file=$(log_file "$name")
  if [[ -s $file ]]; then
    echo "---- last 30 lines of $file ----" >&2
    tail -n 30 "$file" >&2
    echo "---- end of $file ----" >&2
  else
    echo "($file is empty or missing)" >&2
  fi
}

# Reports a failed start with the reason and the log tail, then exits non-zero.
fail_start() {
  local name=$1 reason=$2
  error "$name failed to start: $reason"
  print_log_tail "$name"
  exit 1
}

# Appends a start marker to the log, so that a readiness check can look only at the lines
# written since the last start.
mark_log() {
  echo "$START_MARKER $1 at $(date '+%Y-%m-%d %H:%M:%S') ====" >>"$(log_file "$1")"
}

# Launches a JVM in its own session, detached from the calling shell and its output, and
# writes its pid file. Fd 9 is the state dir lock, which the server must not inherit.
launch_java() {
  local name=$1 pid
  shift
  (
    cd "$STATE_DIR"
    exec setsid nohup java "-Dtidings.infra.server=$name" "-Dtidings.infra.state=$STATE_DIR" "$@" \
      </dev/null >>"$(log_file "$name")" 2>&1 9>&-
  ) &
  pid=$!
  echo "$pid" >"$(pid_file "$name")"
  echo "$pid"
}

# Waits until CHECK succeeds, the process exits or TIMEOUT seconds pass.
# Usage: wait_ready NAME PID TIMEOUT WHAT CHECK...
wait_ready() {
  local name=$1 pid=$2 timeout=$3 what=$4
  shift 4
  local deadline=$((SECONDS + timeout))
  while true; do
    if "$@"; then
      return 0
    fi
    if ! pid_alive "$pid"; then
      rm -f "$(pid_file "$name")"
      fail_start "$name" "the process (pid $pid) exited before $what"
    fi
    if ((SECONDS >= deadline)); then
      fail_start "$name" "timed out after ${timeout} s waiting for $what (pid $pid is still running; stop it with: scripts/infra.sh stop $name)"
    fi
    sleep 0.5
  done
}

# ---------------------------------------------------------------------------
# Installation and the jar cache

ensure_java() {
  command -v java >/dev/null || { error "java is not on PATH: install a Java 17 JDK (Debian: apt-get install -y openjdk-17-jdk-headless)"; exit 1; }
}

ensure_redis_installed() {
  command -v redis-server >/dev/null && return 0
  if [[ $(id -u) -ne 0 ]]; then
    error "redis-server is not installed and this user is not root. Install it with: sudo apt-get update && sudo apt-get install -y redis-server"
    exit 1
  fi
  info "redis-server is not installed: running apt-get install -y redis-server"
  export DEBIAN_FRONTEND=noninteractive
  apt-get update -q
  apt-get install -y -q redis-server
  command -v redis-server >/dev/null || { error "apt-get installed redis-server but it is still not on PATH"; exit 1; }
}

# Prints the jar directory of a server (kafka or hbase), copying the jars from Maven first
# if the cache does not have them yet. The directory name carries a hash of the pom, so a
# changed pom gets a fresh directory. The jars land in a temporary directory that is renamed
# only when the copy has finished, so a half-finished download never looks complete.
ensure_jars() {
  local name=$1 pom hash target tmp
  pom="$INFRA_DIR/$name/pom.xml"
  hash=$(sha256sum "$pom" | cut -c1-12)
  target="$CACHE_DIR/$name-$hash"
  if [[ -d $target ]]; then
    echo "$target"
    return 0
  fi
  command -v mvn >/dev/null || { error "mvn is not on PATH: it is needed once to copy the $name jars into $CACHE_DIR (Debian: apt-get install -y maven)"; exit 1; }
  mkdir -p "$CACHE_DIR"
  tmp=$(mktemp -d "$CACHE_DIR/.$name-$hash.XXXXXX")
  info "copying the $name jars into $target (first run only)" >&2
  # The Maven output is shown only on failure: Maven 3.8.7 prints stray colour codes with -q.
  if ! mvn -B -Dstyle.color=never -f "$pom" dependency:copy-dependencies "-DoutputDirectory=$tmp" \
    >"$tmp.mvn.log" 2>&1; then
    tail -n 40 "$tmp.mvn.log" >&2
    rm -rf "$tmp" "$tmp.mvn.log"
    error "mvn dependency:copy-dependencies failed for $pom (the last 40 lines of its output are above)"
    exit 1
  fi
  rm -f "$tmp.mvn.log"
  # Another clone may have finished the same copy meanwhile; its copy is as good as ours.
  if ! mv -T "$tmp" "$target" 2>/dev/null; then
    rm -rf "$tmp"
    [[ -d $target ]] || { error "could not move $tmp to $target"; exit 1; }
  fi
  echo "$target"
}

install_server() {
  case $1 in
    redis) ensure_redis_installed ;;
    kafka | hbase) ensure_java; ensure_jars "$1" >/dev/null ;;
  esac
  info "$1: installed"
}

# ---------------------------------------------------------------------------
# Redis

start_redis() {
  local conf="$STATE_DIR/conf/redis/redis.conf" data="$STATE_DIR/data/redis" pid
  ensure_redis_installed
  check_ports_free redis "$REDIS_PORT"
  mkdir -p "$(dirname "$conf")" "$data"
  cat >"$conf" <<EOF
# Generated by scripts/infra.sh on each start: edits are overwritten.
bind 127.0.0.1
port $REDIS_PORT
protected-mode yes
daemonize yes
pidfile $(pid_file redis)
logfile $(log_file redis)
dir $data
appendonly yes
appendfsync everysec
EOF
  mark_log redis
  rm -f "$(pid_file redis)"
  if ! redis-server "$conf" </dev/null >>"$(log_file redis)" 2>&1 9>&-; then
    fail_start redis "redis-server exited with an error"
  fi

  # The daemon writes its pid file shortly after it forks.
  local deadline=$((SECONDS + REDIS_START_TIMEOUT))
  until pid=$(running_pid redis); do
    ((SECONDS < deadline)) || fail_start redis "no live process in $(pid_file redis) after ${REDIS_START_TIMEOUT} s"
    sleep 0.1
  done
  wait_ready redis "$pid" "$REDIS_START_TIMEOUT" "PING to answer on port $REDIS_PORT" redis_ping "$REDIS_PORT"
  info "redis: started (pid $pid, port $REDIS_PORT)"
}

# ---------------------------------------------------------------------------
# Kafka

# Runs a Kafka command-line class (with a 60 s timeout) from the jar directory JARS.
# Usage: kafka_tool JARS CLASS ARG...
kafka_tool() {
  local jars=$1
  shift
  timeout 60 java -Xmx256m -XX:TieredStopAtLevel=1 -XX:+UseSerialGC -cp "$jars/*" "$@"
}

kafka_list_topics() {
  kafka_tool "$1" org.apache.kafka.tools.TopicCommand --bootstrap-server "127.0.0.1:$KAFKA_PORT" --list 2>/dev/null
}

# Succeeds when the broker port accepts and a metadata request (listing topics) works.
kafka_ready() {
  local jars=$1
  port_open "$KAFKA_PORT" || return 1
  kafka_list_topics "$jars" >/dev/null
}

write_kafka_config() {
  local conf_dir=$1 data=$2
  cat >"$conf_dir/server.properties" <<EOF
# Generated by scripts/infra.sh on each start: edits are overwritten.
# A single node that is both broker and KRaft controller.
node.id=1
process.roles=broker,controller
controller.quorum.voters=1@127.0.0.1:$KAFKA_CONTROLLER_PORT
listeners=PLAINTEXT://127.0.0.1:$KAFKA_PORT,CONTROLLER://127.0.0.1:$KAFKA_CONTROLLER_PORT
advertised.listeners=PLAINTEXT://127.0.0.1:$KAFKA_PORT
controller.listener.names=CONTROLLER
inter.broker.listener.name=PLAINTEXT
listener.security.protocol.map=PLAINTEXT:PLAINTEXT,CONTROLLER:PLAINTEXT
log.dirs=$data
num.partitions=1
default.replication.factor=1
offsets.topic.replication.factor=1
transaction.state.log.replication.factor=1
transaction.state.log.min.isr=1
share.coordinator.state.topic.replication.factor=1
share.coordinator.state.topic.min.isr=1
group.initial.rebalance.delay.ms=0
EOF
  cat >"$conf_dir/log4j2.properties" <<'EOF'
# Generated by scripts/infra.sh on each start: edits are overwritten.
# Everything goes to stdout, which scripts/infra.sh appends to logs/kafka.log.
status = warn
appender.stdout.type = Console
appender.stdout.name = STDOUT
appender.stdout.layout.type = PatternLayout
appender.stdout.layout.pattern = [%d] %p %m (%c)%n
rootLogger.level = INFO
rootLogger.appenderRef.stdout.ref = STDOUT
logger.request.name = kafka.request.logger
logger.request.level = WARN
logger.statechange.name = state.change.logger
logger.statechange.level = WARN
EOF
}

# The file that records the topic list of the last successful creation, so that a start
# which finds Kafka already running creates topics only when KAFKA_TOPICS changed.
kafka_topics_marker() { echo "$STATE_DIR/data/kafka/tidings-topics.txt"; }

kafka_topics_current() {
  [[ -f $(kafka_topics_marker) ]] && [[ $(cat "$(kafka_topics_marker)") == "$(printf '%s\n' "${KAFKA_TOPICS[@]}")" ]]
}

kafka_create_topics() {
  local jars=$1 existing line topic partitions args config
  existing=$(kafka_list_topics "$jars") || fail_start kafka "listing topics failed"
  for line in "${KAFKA_TOPICS[@]}"; do
    read -r topic partitions config <<<"$line"
    if grep -qxF "$topic" <<<"$existing"; then
      continue
    fi
    args=(--bootstrap-server "127.0.0.1:$KAFKA_PORT" --create --if-not-exists
      --topic "$topic" --partitions "$partitions" --replication-factor 1)
    for config in $config; do
      args+=(--config "$config")
    done
    if ! kafka_tool "$jars" org.apache.kafka.tools.TopicCommand "${args[@]}" >>"$(log_file kafka)" 2>&1; then
      fail_start kafka "creating topic $topic failed"
    fi
    info "kafka: created topic $topic ($partitions partitions${config:+, $config})"
  done
  printf '%s\n' "${KAFKA_TOPICS[@]}" >"$(kafka_topics_marker)"
}

start_kafka() {
  local jars conf_dir="$STATE_DIR/conf/kafka" data="$STATE_DIR/data/kafka" pid cluster_id
  ensure_java
  jars=$(ensure_jars kafka)
  check_ports_free kafka "$KAFKA_PORT" "$KAFKA_CONTROLLER_PORT"
  mkdir -p "$conf_dir" "$data"
  write_kafka_config "$conf_dir" "$data"
  mark_log kafka

  if [[ ! -f $data/meta.properties ]]; then
    cluster_id=$(kafka_tool "$jars" kafka.tools.StorageTool random-uuid 2>>"$(log_file kafka)") ||
      fail_start kafka "StorageTool random-uuid failed"
    info "kafka: formatting storage in $data (cluster id $cluster_id)"
    kafka_tool "$jars" kafka.tools.StorageTool format -t "$cluster_id" -c "$conf_dir/server.properties" \
      >>"$(log_file kafka)" 2>&1 || fail_start kafka "StorageTool format failed"
  fi

  pid=$(launch_java kafka -Xmx512m -Xms512m \
    "-Dlog4j2.configurationFile=$conf_dir/log4j2.properties" \
    -cp "$jars/*" kafka.Kafka "$conf_dir/server.properties")
  wait_ready kafka "$pid" "$KAFKA_START_TIMEOUT" "a metadata request to answer on port $KAFKA_PORT" kafka_ready "$jars"
  kafka_create_topics "$jars"
  info "kafka: started (pid $pid, port $KAFKA_PORT)"
}

# ---------------------------------------------------------------------------
# HBase

write_hbase_config() {
  local conf_dir=$1 data=$2
  cat >"$conf_dir/hbase-site.xml" <<EOF
<?xml version="1.0"?>
<!-- Generated by scripts/infra.sh on each start: edits are overwritten.
     Standalone HBase: master, region server and ZooKeeper in one JVM, data on the local
     file system, every port bound to 127.0.0.1, web UIs disabled. -->
<configuration>
  <property><name>hbase.cluster.distributed</name><value>false</value></property>
  <property><name>hbase.rootdir</name><value>file://$data/root</value></property>
  <property><name>hbase.tmp.dir</name><value>$data/tmp</value></property>
  <property><name>hbase.unsafe.stream.capability.enforce</name><value>false</value></property>
  <property><name>hbase.zookeeper.quorum</name><value>127.0.0.1</value></property>
  <property><name>hbase.zookeeper.property.clientPort</name><value>$ZK_PORT</value></property>
  <property><name>hbase.zookeeper.property.clientPortAddress</name><value>127.0.0.1</value></property>
  <property><name>hbase.zookeeper.property.dataDir</name><value>$data/zookeeper</value></property>
  <property><name>hbase.localcluster.assign.random.ports</name><value>false</value></property>
  <property><name>hbase.master.port</name><value>$HBASE_MASTER_PORT</value></property>
  <property><name>hbase.master.info.port</name><value>-1</value></property>
  <property><name>hbase.master.hostname</name><value>127.0.0.1</value></property>
  <property><name>hbase.master.ipc.address</name><value>127.0.0.1</value></property>
  <property><name>hbase.regionserver.port</name><value>$HBASE_REGIONSERVER_PORT</value></property>
  <property><name>hbase.regionserver.info.port</name><value>-1</value></property>
  <property><name>hbase.regionserver.hostname</name><value>127.0.0.1</value></property>
  <property><name>hbase.regionserver.ipc.address</name><value>127.0.0.1</value></property>
</configuration>
EOF
  cat >"$conf_dir/log4j.properties" <<'EOF'
# Generated by scripts/infra.sh on each start: edits are overwritten.
# Everything goes to stdout, which scripts/infra.sh appends to logs/hbase.log.
log4j.rootLogger=INFO,console
log4j.appender.console=org.apache.log4j.ConsoleAppender
log4j.appender.console.target=System.out
log4j.appender.console.layout=org.apache.log4j.PatternLayout
log4j.appender.console.layout.ConversionPattern=%d{ISO8601} %-5p [%t] %c{2}: %m%n
log4j.logger.org.apache.zookeeper=WARN
log4j.logger.org.apache.hadoop=WARN
log4j.logger.org.apache.hadoop.hbase=INFO
EOF
}

# Succeeds when the log has the master's initialization line after the last start marker.
hbase_initialized() {
  local file
  file=$(log_file hbase)
  [[ -f $file ]] || return 1
  awk -v marker="$START_MARKER hbase " '
    index($0, marker) == 1 { ready = 0 }
    /Master has completed initialization/ { ready = 1 }
    END { exit !ready }' "$file"
}

start_hbase() {
  local jars conf_dir="$STATE_DIR/conf/hbase" data="$STATE_DIR/data/hbase" pid
  ensure_java
  jars=$(ensure_jars hbase)
  check_ports_free hbase "$ZK_PORT" "$HBASE_MASTER_PORT" "$HBASE_REGIONSERVER_PORT"
  mkdir -p "$conf_dir" "$data"
  write_hbase_config "$conf_dir" "$data"
  mark_log hbase

  pid=$(launch_java hbase -Xmx1g "${HBASE_JAVA_FLAGS[@]}" \
    "-Dlog4j.configuration=file:$conf_dir/log4j.properties" \
    -cp "$conf_dir:$jars/*" org.apache.hadoop.hbase.master.HMaster start)
  wait_ready hbase "$pid" "$HBASE_START_TIMEOUT" "the log line \"Master has completed initialization\"" server_healthy hbase
  info "hbase: started (pid $pid, master port $HBASE_MASTER_PORT, zookeeper port $ZK_PORT)"
}

# ---------------------------------------------------------------------------
# Commands

start_server() {
  local name=$1 pid timeout
  if pid=$(running_pid "$name"); then
    if server_healthy "$name"; then
      if [[ $name == kafka ]] && ! kafka_topics_current; then
        kafka_create_topics "$(ensure_jars kafka)"
      fi
      info "$name: already running (pid $pid, port $(server_port "$name"))"
      return 0
    fi
    # Alive but not responding: a start by an earlier call that was interrupted, or a
    # server that hangs. Give it the start timeout before reporting it.
    timeout=$(start_timeout "$name")
    info "$name: pid $pid is running but not healthy yet; waiting up to ${timeout} s"
    wait_ready "$name" "$pid" "$timeout" "the running process to answer on port $(server_port "$name")" server_healthy "$name"
    info "$name: already running (pid $pid, port $(server_port "$name"))"
    return 0
  fi
  "start_$name"
}

start_timeout() {
  case $1 in
    redis) echo "$REDIS_START_TIMEOUT" ;;
    kafka) echo "$KAFKA_START_TIMEOUT" ;;
    hbase) echo "$HBASE_START_TIMEOUT" ;;
  esac
}

stop_timeout() {
  case $1 in
    redis) echo "$REDIS_STOP_TIMEOUT" ;;
    kafka) echo "$KAFKA_STOP_TIMEOUT" ;;
    hbase) echo "$HBASE_STOP_TIMEOUT" ;;
  esac
}

stop_server() {
  local name=$1 pid timeout deadline
  if ! pid=$(running_pid "$name"); then
    info "$name: not running"
    return 0
  fi
  timeout=$(stop_timeout "$name")
  kill -TERM "$pid" 2>/dev/null || true
  deadline=$((SECONDS + timeout))
  while pid_alive "$pid" && ((SECONDS < deadline)); do
    sleep 0.2
  done
  if pid_alive "$pid"; then
    info "$name: pid $pid did not exit within ${timeout} s of SIGTERM; sending SIGKILL"
    kill -KILL "$pid" 2>/dev/null || true
    deadline=$((SECONDS + 10))
    while pid_alive "$pid" && ((SECONDS < deadline)); do
      sleep 0.2
    done
    if pid_alive "$pid"; then
      error "$name: pid $pid is still alive after SIGKILL"
      exit 1
    fi
  fi
  rm -f "$(pid_file "$name")"
  info "$name: stopped (pid $pid)"
}

status_server() {
  local name=$1 pid health
  if pid=$(running_pid "$name"); then
    if server_healthy "$name"; then health=healthy; else health=unhealthy; fi
  else
    pid=-
    health=stopped
  fi
  printf '%-14s pid %-8s port %-46s %s\n' "$name" "$pid" "$(server_ports_desc "$name")" "$health"
  [[ $health == healthy ]]
}

# Expands "all", checks the names and stores the result in SERVERS.
parse_servers() {
  local name
  SERVERS=()
  if (($# == 0)); then
    set -- all
  fi
  for name in "$@"; do
    case $name in
      all) SERVERS+=("${ALL_SERVERS[@]}") ;;
      redis | kafka | hbase) SERVERS+=("$name") ;;
      *) error "unknown server \"$name\": expected redis, kafka, hbase or all"; exit 2 ;;
    esac
  done
}

# Takes the lock of the state dir, so that concurrent calls (two test JVMs, say) do not
# start the same server twice. Servers are launched with fd 9 closed.
lock_state_dir() {
  mkdir -p "$STATE_DIR/pids" "$STATE_DIR/logs" "$STATE_DIR/conf" "$STATE_DIR/data"
  exec 9>"$STATE_DIR/.lock"
  if ! flock -w 900 9; then
    error "timed out after 900 s waiting for the lock $STATE_DIR/.lock held by another scripts/infra.sh"
    exit 1
  fi
}

main() {
  local command=${1:-help} name i unhealthy
  shift || true
  case $command in
    help | -h | --help) usage; return 0 ;;
    start | stop | status | install) ;;
    *) error "unknown command \"$command\""; usage >&2; exit 2 ;;
  esac

  mkdir -p "$STATE_DIR"
  STATE_DIR=$(cd "$STATE_DIR" && pwd)
  parse_servers "$@"

  case $command in
    start)
      lock_state_dir
      for name in "${SERVERS[@]}"; do start_server "$name"; done
      ;;
    stop)
      lock_state_dir
      # Reverse order, so that HBase and Kafka stop before Redis.
      for ((i = ${#SERVERS[@]} - 1; i >= 0; i--)); do stop_server "${SERVERS[i]}"; done
      ;;
    status)
      mkdir -p "$STATE_DIR/pids"
      unhealthy=0
      for name in "${SERVERS[@]}"; do status_server "$name" || unhealthy=1; done
      if ((unhealthy)); then
        exit 3
      fi
      ;;
    install)
      for name in "${SERVERS[@]}"; do install_server "$name"; done
      ;;
  esac
}

main "$@"
