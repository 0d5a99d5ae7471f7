{{- /* chartutil.Values passed to a map[string]interface{} parameter is that
type inside the function: merge/set/unset return it unnamed, so dig accepts it */ -}}
{{ $v := merge .Values }}{{ typeOf $v }}|{{ dig "image" "tag" "none" $v }}|{{ typeOf .Values }}
{{ $w := mergeOverwrite .Values (dict "extra" 1) }}{{ typeOf $w }}|{{ dig "extra" 0 $w }}
{{ $s := set .Values "added" "yes" }}{{ typeOf $s }}|{{ dig "added" "" $s }}
{{ $u := unset .Values "added" }}{{ typeOf $u }}|{{ dig "added" "gone" $u }}
{{ typeOf (mustMerge .Values (dict)) }}|{{ typeOf (mustMergeOverwrite .Values) }}
{{ $m := merge .Values }}{{ $m.name }}|{{ typeOf (deepCopy .Values) }}
