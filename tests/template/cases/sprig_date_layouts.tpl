{{- $t := 1709251199 }}
{{- range list "2006-01-02 15:04:05.000" "Jan _2 15:04:05" "January 2, 2006" "02/01/06" "__2 002" "3:4:5 pm" "03 PM" "-0700 -07:00 -07 -070000 -07:00:00" "Z0700 Z07:00 Z07" ".999 ,000 .0" "Monday Mon" "2006-01-02T15:04:05.999999999Z07:00" "_2006" "1 01 2 02 _2" "15h04m05s" "Janet Mond" "MST" "no layout here" "" }}
{{ . }} => {{ dateInZone . $t "Asia/Kolkata" }} | {{ dateInZone . $t "UTC" }} | {{ dateInZone . $t "America/St_Johns" }}
{{- end }}
