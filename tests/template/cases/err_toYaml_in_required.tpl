{{ required "m" (.Values.missing | toYaml) }}x
