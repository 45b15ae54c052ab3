{{- define "lo.name" -}}{{ .Release.Name }}-logistics-observability{{- end -}}
{{- define "lo.labels" -}}
app.kubernetes.io/name: logistics-observability
app.kubernetes.io/instance: {{ .Release.Name }}
app.kubernetes.io/version: {{ .Chart.AppVersion | quote }}
{{- end -}}
{{- define "lo.selector" -}}
app.kubernetes.io/name: logistics-observability
app.kubernetes.io/instance: {{ .Release.Name }}
{{- end -}}
{{- define "lo.secretName" -}}{{ .Values.secrets.existingSecret | default (include "lo.name" .) }}{{- end -}}
