{{ toYaml }}
