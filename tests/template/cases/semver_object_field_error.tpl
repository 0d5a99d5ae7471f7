{{ (semver "1.2.3").Foo }}
