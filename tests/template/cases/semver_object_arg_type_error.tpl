{{ $s := "1.0.0" }}{{ (semver "1.2.3").LessThan $s }}
