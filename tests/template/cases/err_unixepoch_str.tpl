{{ unixEpoch "2024" }}
