{{ urlJoin (dict "host" 5) }}
