{{ "2024" | unixEpoch }}
