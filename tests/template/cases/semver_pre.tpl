{{ semverCompare ">=1.20.0" "1.25.3-gke.100" }}|{{ semverCompare ">=1.20.0-0" "1.25.3-gke.100" }}|{{ semverCompare "<1.19" "v1.18.2" }}|{{ semverCompare "~1.2" "1.2.9" }}|{{ semverCompare "^1.2.3" "1.9.0" }}
{{ semverCompare ">=1.21-0" "1.21.0-eks-abc" }}|{{ semverCompare "1.x" "1.5.0" }}|{{ semverCompare ">= 1.2, < 2.0" "1.5.0" }}|{{ semverCompare "<1.2 || >3" "3.1.0" }}|{{ semverCompare "!=1.2.3" "1.2.3" }}
{{ (semver "1.2.3-alpha.1+build.5").Prerelease }}|{{ (semver "1.2.3-alpha.1+build.5").Metadata }}|{{ (semver "v1.2").Minor }}|{{ (semver "1.2.3").Compare (semver "1.2.3-rc1") }}
{{ semverCompare "=1.2.3" "1.2.3+meta" }}|{{ semverCompare ">1.2.3-alpha" "1.2.3-beta" }}|{{ semverCompare "1.2.3 - 1.4.5" "1.3" }}|{{ semverCompare "*" "1.0.0-rc" }}|{{ semverCompare ">=0.0.0" "0.0.0-0" }}
{{ semverCompare ">=1.23.0-0" .Capabilities.KubeVersion.Version }}|{{ .Capabilities.KubeVersion.GitVersion }}
