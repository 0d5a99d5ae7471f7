{{ $v := semver "v1.2.3-alpha.1+build.5" }}{{ $v.Major }} {{ $v.Minor }} {{ $v.Patch }} {{ $v.Prerelease }} {{ $v.Metadata }} {{ $v.Original }} {{ $v.String }} {{ typeOf $v.Major }}
{{ (semver "2").Major }} {{ (semver "2").Minor }} {{ (semver "1.2").Original }} {{ add (semver "3.4.5").Minor 1 }} {{ eq (semver "3.4.5").Patch 5 }}
