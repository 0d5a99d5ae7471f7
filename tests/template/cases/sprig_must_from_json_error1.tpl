{{ mustFromJson "{\"a\" 1}" }}
