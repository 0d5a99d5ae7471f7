{{ semverCompare ">=1.2.0" "1.3.0" }} {{ semverCompare "^1.2" "2.0.0" }} {{ semverCompare "~1.2.3" "v1.2.9" }} {{ semverCompare ">=1.20-0" "1.29.0-gke.1" }} {{ semverCompare ">= 1.19" "1.30.1" }}
