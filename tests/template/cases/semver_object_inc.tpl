{{ (semver "1.2.3").IncMajor }} {{ (semver "1.2.3").IncMinor }} {{ (semver "1.2.3").IncPatch }} {{ (semver "1.2.3-beta").IncPatch }} {{ (semver "v1.2.3").IncMinor }}
{{ (semver "1.2.3").IncMajor | typeOf }} {{ ((semver "1.2.3").SetPrerelease "rc.1") }} {{ ((semver "1.2.3").SetMetadata "sha.1") }} {{ ((semver "1.2.3-a").SetPrerelease "") }}
{{ print ((semver "1.2.3").IncMajor) }} {{ (semver "1.2.3").IncMajor.Major }}
