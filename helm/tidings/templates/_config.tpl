{{/*
The non-secret configuration of one component as environment variables (name: value), rendered
into its ConfigMap. Quarkus reads environment variables before application.properties, and the
Kafka client properties (KAFKA_SASL_MECHANISM -> kafka.sasl.mechanism) are collected by Quarkus's
Kafka extension from every KAFKA_* variable. Secrets never appear here: they come from
secretKeyRef entries in the Deployment (tidings.secretEnv).
Takes (dict "root" $ "component" "connector").
*/}}
{{- define "tidings.configEnv" -}}
{{- $root := .root }}
{{- $component := .component }}
{{- $values := index $root.Values $component }}
{{- $env := dict }}
{{- $_ := set $env "QUARKUS_HTTP_PORT" "8080" }}
{{- $_ := set $env "QUARKUS_LOG_LEVEL" $root.Values.logLevel }}
{{- $_ := set $env "JAVA_OPTS_APPEND" $root.Values.jvmOptions }}

{{- /* gRPC clients: every service gets the address of every other one, like ./tidings up. */}}
{{- range $target := splitList " " (include "tidings.components" $root) }}
{{- if ne $target $component }}
{{- $ctx := dict "root" $root "component" $target }}
{{- $prefix := printf "QUARKUS_GRPC_CLIENTS_%s_" (upper $target) }}
{{- $_ := set $env (printf "%sHOST" $prefix) (include "tidings.grpcHost" $ctx) }}
{{- $_ := set $env (printf "%sPORT" $prefix) (include "tidings.grpcPort" $ctx) }}
{{- $_ := set $env (printf "%sLOAD_BALANCING_POLICY" $prefix) $root.Values.grpcClients.loadBalancingPolicy }}
{{- end }}
{{- end }}

{{- /* Redis: every service but history-svc. */}}
{{- if ne $component "history" }}
{{- $redis := $root.Values.redis }}
{{- $_ := set $env "QUARKUS_REDIS_HOSTS" (join "," $redis.hosts) }}
{{- $_ := set $env "QUARKUS_REDIS_CLIENT_TYPE" $redis.mode }}
{{- if eq $redis.mode "sentinel" }}
{{- $_ := set $env "QUARKUS_REDIS_MASTER_NAME" $redis.masterName }}
{{- $_ := set $env "QUARKUS_REDIS_ROLE" "master" }}
{{- end }}
{{- if $redis.tlsCaSecret }}
{{- $_ := set $env "QUARKUS_REDIS_TLS_TRUST_CERTIFICATE_PEM" "true" }}
{{- $_ := set $env "QUARKUS_REDIS_TLS_TRUST_CERTIFICATE_PEM_CERTS" (printf "/etc/tidings/redis-tls/%s" $redis.tlsCaSecretKey) }}
{{- end }}
{{- end }}

{{- /* Kafka: every service. */}}
{{- $kafka := $root.Values.kafka }}
{{- $_ := set $env "KAFKA_BOOTSTRAP_SERVERS" $kafka.bootstrapServers }}
{{- $_ := set $env "KAFKA_SECURITY_PROTOCOL" $kafka.securityProtocol }}
{{- if include "tidings.kafkaSasl" $root }}
{{- $_ := set $env "KAFKA_SASL_MECHANISM" $kafka.sasl.mechanism }}
{{- end }}
{{- if and (include "tidings.kafkaTls" $root) $kafka.tlsCaSecret }}
{{- $_ := set $env "KAFKA_SSL_TRUSTSTORE_TYPE" "PEM" }}
{{- $_ := set $env "KAFKA_SSL_TRUSTSTORE_LOCATION" (printf "/etc/tidings/kafka-tls/%s" $kafka.tlsCaSecretKey) }}
{{- end }}
{{- range $key, $value := $kafka.config }}
{{- $_ := set $env (include "tidings.envName" (printf "kafka.%s" $key)) (toString $value) }}
{{- end }}

{{- if eq $component "history" }}
{{- $_ := set $env "TIDINGS_HBASE_ZOOKEEPER_QUORUM" $root.Values.hbase.zookeeperQuorum }}
{{- $_ := set $env "TIDINGS_HBASE_ZNODE_PARENT" $root.Values.hbase.znodeParent }}
{{- end }}

{{- if eq $component "connector" }}
{{- /* No quarkus.shutdown.timeout here: connector-svc drains its sessions on Quarkus's shutdown
  delay event, and the timeout would only hold the stopped pod, because Quarkus still counts the
  closed WebSocket upgrades as running requests. */}}
{{- $_ := set $env "TIDINGS_CONNECTOR_DRAIN_TIMEOUT" (printf "%ds" (int $values.drainTimeoutSeconds)) }}
{{- $_ := set $env "TIDINGS_CONNECTOR_TOKEN_ACTIVE_KEY_ID" $values.tokenSigning.activeKeyId }}
{{- if gt (int $values.grpcPort) 0 }}
{{- $_ := set $env "QUARKUS_GRPC_SERVER_USE_SEPARATE_SERVER" "true" }}
{{- $_ := set $env "QUARKUS_GRPC_SERVER_PORT" (toString $values.grpcPort) }}
{{- end }}
{{- if $values.tls.enabled }}
{{- $_ := set $env "QUARKUS_HTTP_SSL_PORT" "8443" }}
{{- $_ := set $env "QUARKUS_HTTP_SSL_CERTIFICATE_FILES" "/etc/tidings/tls/tls.crt" }}
{{- $_ := set $env "QUARKUS_HTTP_SSL_CERTIFICATE_KEY_FILES" "/etc/tidings/tls/tls.key" }}
{{- $_ := set $env "QUARKUS_HTTP_SSL_CERTIFICATE_RELOAD_PERIOD" $values.tls.reloadPeriod }}
{{- end }}
{{- else }}
{{- $_ := set $env "QUARKUS_SHUTDOWN_TIMEOUT" (printf "%ds" (int $values.shutdownTimeoutSeconds)) }}
{{- end }}

{{- if eq $component "push" }}
{{- $providers := dict
  "TIDINGS_PUSH_APNS_KEY_ID" $values.apns.keyId
  "TIDINGS_PUSH_APNS_TEAM_ID" $values.apns.teamId
  "TIDINGS_PUSH_APNS_DEFAULT_TOPIC" $values.apns.defaultTopic
  "TIDINGS_PUSH_HUAWEI_APP_ID" $values.huawei.appId
  "TIDINGS_PUSH_HUAWEI_CLIENT_ID" $values.huawei.clientId
  "TIDINGS_PUSH_OPPO_APP_KEY" $values.oppo.appKey
  "TIDINGS_PUSH_OPPO_CHANNEL_ID" $values.oppo.channelId
  "TIDINGS_PUSH_VIVO_APP_ID" $values.vivo.appId
  "TIDINGS_PUSH_VIVO_APP_KEY" $values.vivo.appKey }}
{{- range $name, $value := $providers }}
{{- if $value }}
{{- $_ := set $env $name (toString $value) }}
{{- end }}
{{- end }}
{{- end }}

{{- range $key, $value := $values.config }}
{{- $_ := set $env (include "tidings.envName" $key) (toString $value) }}
{{- end }}
{{- toYaml $env }}
{{- end }}

{{/*
Environment variables taken from Secrets, as a container env list. Takes (dict "root" $
"component" "connector").
*/}}
{{- define "tidings.secretEnv" -}}
{{- $root := .root }}
{{- $component := .component }}
{{- if has $component (list "connector" "routing" "history" "push") }}
- name: TIDINGS_SERVER_API_APP_SECRET
  valueFrom:
    secretKeyRef:
      name: {{ include "tidings.serverApiSecretName" $root }}
      key: {{ $root.Values.serverApi.existingSecretKey }}
{{- end }}
{{- if and (ne $component "history") (include "tidings.redisAuth" $root) }}
- name: QUARKUS_REDIS_PASSWORD
  valueFrom:
    secretKeyRef:
      name: {{ include "tidings.redisSecretName" $root }}
      key: {{ $root.Values.redis.existingSecretPasswordKey }}
{{- end }}
{{- if include "tidings.kafkaSasl" $root }}
- name: KAFKA_SASL_JAAS_CONFIG
  valueFrom:
    secretKeyRef:
      name: {{ include "tidings.kafkaSaslSecretName" $root }}
      key: {{ $root.Values.kafka.sasl.existingSecretKey }}
{{- end }}
{{- if eq $component "connector" }}
{{- range $keyId := $root.Values.connector.tokenSigning.keyIds }}
- name: {{ printf "TIDINGS_CONNECTOR_TOKEN_KEYS_%s" (upper $keyId) }}
  valueFrom:
    secretKeyRef:
      name: {{ include "tidings.tokenSigningSecretName" $root }}
      key: {{ $keyId }}
{{- end }}
{{- end }}
{{- if eq $component "push" }}
{{- range $key, $env := include "tidings.pushSecretKeys" $root | fromYaml }}
- name: {{ $env }}
  valueFrom:
    secretKeyRef:
      name: {{ include "tidings.pushSecretName" $root }}
      key: {{ $key }}
      # A provider whose key is missing stays disabled.
      optional: true
{{- end }}
{{- end }}
{{- end }}

{{/* Keys of the push credentials Secret and the variables they set. */}}
{{- define "tidings.pushSecretKeys" -}}
apns-key: TIDINGS_PUSH_APNS_KEY
fcm-service-account-json: TIDINGS_PUSH_FCM_SERVICE_ACCOUNT_JSON
huawei-client-secret: TIDINGS_PUSH_HUAWEI_CLIENT_SECRET
xiaomi-app-secret: TIDINGS_PUSH_XIAOMI_APP_SECRET
oppo-master-secret: TIDINGS_PUSH_OPPO_MASTER_SECRET
vivo-app-secret: TIDINGS_PUSH_VIVO_APP_SECRET
{{- end }}

{{/* The secret values given in the chart's values, for the pods' checksum annotation. */}}
{{- define "tidings.secretInputs" -}}
{{- toYaml (list .Values.serverApi .Values.connector.tokenSigning .Values.redis.password .Values.redis.existingSecret .Values.kafka.sasl .Values.push.credentials) }}
{{- end }}
