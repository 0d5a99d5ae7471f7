{{ (semver "v1.2.3").IncMinor.Original }}
