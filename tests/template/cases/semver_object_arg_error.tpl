{{ (semver "1.2.3").LessThan "1.0.0" }}
