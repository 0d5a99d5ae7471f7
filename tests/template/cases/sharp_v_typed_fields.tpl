{{- /* %#v names a Go typed slice or map by its type, and a nil one as T(nil) */ -}}
{{ printf "%#v|%#v|%#v|%#v" .Chart.Keywords .Chart.Annotations .Chart.Dependencies .Chart.Maintainers }}
{{ printf "%#v|%v|%T" (list .Chart.Sources (list) (dict)) .Chart.Sources .Chart.Annotations }}
