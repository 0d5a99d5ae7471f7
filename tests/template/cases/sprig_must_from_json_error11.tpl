{{ mustFromJson "{\"a\":\"\\\\q\"}" }}
