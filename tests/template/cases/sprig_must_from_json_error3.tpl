{{ mustFromJson "{\"a\":1 \"b\"}" }}
