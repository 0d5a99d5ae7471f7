{{ semver "x.y" }}
