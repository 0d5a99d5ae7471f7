{{ (semver "1.2.3").LessThan (semver "1.3.0") }} {{ (semver "1.2.3").GreaterThan (semver "1.2.3") }} {{ (semver "1.2.3").Equal (semver "v1.2.3+meta") }} {{ (semver "1.2.3").Compare (semver "1.3.0") }} {{ (semver "1.3.0").Compare (semver "1.2.0") }} {{ (semver "1.0.0").Compare (semver "1.0.0") }}
{{ (semver "1.0.0-alpha").LessThan (semver "1.0.0") }} {{ (semver "1.2.3").LessThanEqual (semver "1.2.3") }} {{ (semver "1.2.3").GreaterThanEqual (semver "1.2.4") }}
{{ $a := semver "2.0.0" }}{{ $b := semver "10.0.0" }}{{ if $a.LessThan $b }}numeric{{ end }} {{ typeOf ($a.Compare $b) }}
