{{ until 0 | len }}|{{ untilStep 5 0 1 | len }}|{{ seq 1 0 }}|{{ seq 3 -1 1 }}|{{ seq 1 1 }}|{{ seq 1 2 3 4 | default "x" }}|{{ chunk 2 .Values.list }}|{{ chunk 10 .Values.list }}
{{ base "/a/b.txt" }}|{{ dir "/a/b.txt" }}|{{ ext "a.tar.gz" }}|{{ clean "a//b/../c/." }}|{{ isAbs "/x" }}|{{ base "" }}|{{ dir "" }}|{{ clean "" }}|{{ ext "noext" }}|{{ base "/" }}|{{ dir "a" }}
{{ get .Values.map "zz" | kindOf }}|{{ dig "x" 5 (dict) }}|{{ pick .Values.map }}|{{ omit .Values.map }}|{{ values (dict) }}|{{ pluck "zz" .Values.map }}|{{ hasKey (dict) "" }}
{{ semver "1.2.3" | toString }}|{{ (semver "1.2.3").Original }}|{{ (semver "v1.2").String }}|{{ semverCompare "^0.2.3" "0.2.9" }}|{{ semverCompare "^0.2.3" "0.3.0" }}|{{ semverCompare "~0" "0.9.9" }}|{{ semverCompare ">1.0.0 <2.0.0" "1.5.0" }}
