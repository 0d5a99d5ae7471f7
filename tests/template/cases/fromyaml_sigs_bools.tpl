{{ fromYaml "a: yes\nb: no\nc: on\nd: off\ne: y\nf: n\ng: True\nh: NO\ni: 'yes'\nj: !!str on\nk: Off\nl: Y" | toJson }}
{{ $m := fromYaml "enabled: yes\nflag: off" }}{{ if $m.enabled }}on{{ end }}|{{ typeOf $m.enabled }}|{{ $m.flag }}
