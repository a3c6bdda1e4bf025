{{/*
Names, labels and images shared by every template. A "component" is one of the five services,
named by its values key: connector, routing, offline, history, push.
*/}}

{{- define "tidings.components" -}}
connector routing offline history push
{{- end }}

{{- define "tidings.name" -}}
{{- default .Chart.Name .Values.nameOverride | trunc 63 | trimSuffix "-" }}
{{- end }}

{{/*
The release's full name; component objects append "-<component>" (at most 10 characters), so
it is cut at 52 to keep every name within the 63 characters of a DNS label.
*/}}
{{- define "tidings.fullname" -}}
{{- if .Values.fullnameOverride }}
{{- .Values.fullnameOverride | trunc 52 | trimSuffix "-" }}
{{- else }}
{{- $name := default .Chart.Name .Values.nameOverride }}
{{- if contains $name .Release.Name }}
{{- .Release.Name | trunc 52 | trimSuffix "-" }}
{{- else }}
{{- printf "%s-%s" .Release.Name $name | trunc 52 | trimSuffix "-" }}
{{- end }}
{{- end }}
{{- end }}

{{- define "tidings.chart" -}}
{{- printf "%s-%s" .Chart.Name .Chart.Version | replace "+" "_" | trunc 63 | trimSuffix "-" }}
{{- end }}

{{- define "tidings.labels" -}}
helm.sh/chart: {{ include "tidings.chart" . }}
app.kubernetes.io/name: {{ include "tidings.name" . }}
app.kubernetes.io/instance: {{ .Release.Name }}
app.kubernetes.io/version: {{ .Chart.AppVersion | quote }}
app.kubernetes.io/managed-by: {{ .Release.Service }}
app.kubernetes.io/part-of: tidings
{{- with .Values.commonLabels }}
{{ toYaml . }}
{{- end }}
{{- end }}

{{- define "tidings.selectorLabels" -}}
app.kubernetes.io/name: {{ include "tidings.name" . }}
app.kubernetes.io/instance: {{ .Release.Name }}
{{- end }}

{{/* Labels of a component's objects. Takes (dict "root" $ "component" "connector"). */}}
{{- define "tidings.componentLabels" -}}
{{ include "tidings.labels" .root }}
app.kubernetes.io/component: {{ .component }}
{{- end }}

{{/* Selector labels of a component's pods. Takes (dict "root" $ "component" "connector"). */}}
{{- define "tidings.componentSelectorLabels" -}}
{{ include "tidings.selectorLabels" .root }}
app.kubernetes.io/component: {{ .component }}
{{- end }}

{{/* Name of a component's Deployment, Service and ConfigMap: <fullname>-<component>. */}}
{{- define "tidings.componentName" -}}
{{- printf "%s-%s" (include "tidings.fullname" .root) .component }}
{{- end }}

{{/* Host name that other services use to reach a component's gRPC server. */}}
{{- define "tidings.grpcHost" -}}
{{- if .root.Values.grpcClients.headlessServices }}
{{- printf "%s-headless" (include "tidings.componentName" .) }}
{{- else }}
{{- include "tidings.componentName" . }}
{{- end }}
{{- end }}

{{/* Port of a component's gRPC server: 8080 (shared with HTTP) or connector.grpcPort. */}}
{{- define "tidings.grpcPort" -}}
{{- if and (eq .component "connector") (gt (int .root.Values.connector.grpcPort) 0) }}
{{- .root.Values.connector.grpcPort }}
{{- else }}
{{- 8080 }}
{{- end }}
{{- end }}

{{- define "tidings.serviceAccountName" -}}
{{- if .Values.serviceAccount.create }}
{{- default (include "tidings.fullname" .) .Values.serviceAccount.name }}
{{- else }}
{{- default "default" .Values.serviceAccount.name }}
{{- end }}
{{- end }}

{{/*
A component's image: <registry>/<repository>/<image.name>:<tag>, where the component's
image.repository replaces everything before the tag and the tag falls back from the component's
image.tag to image.tag to the chart's appVersion.
*/}}
{{- define "tidings.image" -}}
{{- $values := index .root.Values .component }}
{{- $global := .root.Values.image }}
{{- $tag := $values.image.tag | default $global.tag | default .root.Chart.AppVersion }}
{{- $repository := $values.image.repository }}
{{- if not $repository }}
{{- $repository = printf "%s/%s" $global.repository $values.image.name }}
{{- if $global.registry }}
{{- $repository = printf "%s/%s" $global.registry $repository }}
{{- end }}
{{- end }}
{{- printf "%s:%s" $repository (toString $tag) }}
{{- end }}

{{/*
Environment variable name of a MicroProfile Config property: every character that is not a
letter or digit becomes "_", and the result is upper case (tidings.offline.retention-days ->
TIDINGS_OFFLINE_RETENTION_DAYS).
*/}}
{{- define "tidings.envName" -}}
{{- regexReplaceAll "[^A-Za-z0-9]" . "_" | upper }}
{{- end }}

{{/*
Seconds Kubernetes waits between the start of a pod's termination and SIGKILL: the preStop
sleep, then the time the service needs after SIGTERM (tidings.shutdownSeconds), then 20 s for
closing Kafka clients and connections. Takes (dict "root" $ "component" "connector").
*/}}
{{- define "tidings.terminationGracePeriodSeconds" -}}
{{- $values := index .root.Values .component }}
{{- $minimum := add (int $values.preStopSleepSeconds) (include "tidings.shutdownSeconds" .) }}
{{- if kindIs "invalid" $values.terminationGracePeriodSeconds }}
{{- add $minimum 20 }}
{{- else if le (int $values.terminationGracePeriodSeconds) $minimum }}
{{- $shutdown := ternary "drainTimeoutSeconds + 10" "shutdownTimeoutSeconds" (eq .component "connector") }}
{{- fail (printf "%s.terminationGracePeriodSeconds is %v, but it must exceed preStopSleepSeconds + %s = %d, or the pod is killed before it finishes; raise it or leave it empty" .component $values.terminationGracePeriodSeconds $shutdown $minimum) }}
{{- else }}
{{- int $values.terminationGracePeriodSeconds }}
{{- end }}
{{- end }}

{{/*
Seconds a service needs after SIGTERM. For the connector: its drain timeout plus 10 s, because
connector-svc's GracefulShutdown also waits up to 5 s for the Reconnect frames to be written and
up to 5 s for the registry entries to be removed. For the others: shutdownTimeoutSeconds, set
as quarkus.shutdown.timeout.
*/}}
{{- define "tidings.shutdownSeconds" -}}
{{- $values := index .root.Values .component }}
{{- if eq .component "connector" }}
{{- add (int $values.drainTimeoutSeconds) 10 }}
{{- else }}
{{- int $values.shutdownTimeoutSeconds }}
{{- end }}
{{- end }}

{{/*
Secret names. Each returns the user's existingSecret when set, else the chart's own Secret.
*/}}
{{- define "tidings.serverApiSecretName" -}}
{{- .Values.serverApi.existingSecret | default (printf "%s-server-api" (include "tidings.fullname" .)) }}
{{- end }}

{{- define "tidings.tokenSigningSecretName" -}}
{{- .Values.connector.tokenSigning.existingSecret | default (printf "%s-token-signing" (include "tidings.fullname" .)) }}
{{- end }}

{{- define "tidings.redisSecretName" -}}
{{- .Values.redis.existingSecret | default (printf "%s-redis" (include "tidings.fullname" .)) }}
{{- end }}

{{- define "tidings.kafkaSaslSecretName" -}}
{{- .Values.kafka.sasl.existingSecret | default (printf "%s-kafka-sasl" (include "tidings.fullname" .)) }}
{{- end }}

{{- define "tidings.pushSecretName" -}}
{{- .Values.push.credentials.existingSecret | default (printf "%s-push" (include "tidings.fullname" .)) }}
{{- end }}

{{/* Whether the services use a Redis password / Kafka SASL at all. */}}
{{- define "tidings.redisAuth" -}}
{{- if or .Values.redis.password .Values.redis.existingSecret }}true{{ end }}
{{- end }}

{{- define "tidings.kafkaSasl" -}}
{{- if hasPrefix "SASL_" .Values.kafka.securityProtocol }}true{{ end }}
{{- end }}

{{- define "tidings.kafkaTls" -}}
{{- if has .Values.kafka.securityProtocol (list "SSL" "SASL_SSL") }}true{{ end }}
{{- end }}

{{/*
A value that must stay the same across upgrades: the explicit value when given, else the value
already stored in the release's Secret, else a new random one (length random letters and
digits, or the base64 of bytes random bytes). lookup returns nothing under `helm template` and
`helm lint`, so those render a fresh random value.
Takes (dict "root" $ "secret" name "key" key "value" explicit and "length" n or "bytes" n).
*/}}
{{- define "tidings.stableSecretValue" -}}
{{- if .value }}
{{- .value }}
{{- else }}
{{- $existing := lookup "v1" "Secret" .root.Release.Namespace .secret }}
{{- if and $existing $existing.data (hasKey $existing.data .key) }}
{{- index $existing.data .key | b64dec }}
{{- else if .bytes }}
{{- randBytes (int .bytes) }}
{{- else }}
{{- randAlphaNum (int .length) }}
{{- end }}
{{- end }}
{{- end }}
