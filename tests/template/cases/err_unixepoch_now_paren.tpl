{{ unixEpoch (list 1) }}
