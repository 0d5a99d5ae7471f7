{{ (semver "1.2.3").SetPrerelease "bad_pre" }}
