{{ (semver "1.2.3").Major 1 }}
