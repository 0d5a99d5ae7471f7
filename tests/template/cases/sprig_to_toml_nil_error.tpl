{{ toToml nil }}
