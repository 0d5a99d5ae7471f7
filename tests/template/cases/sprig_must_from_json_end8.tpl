{{ mustFromJson "{\"a\":1" }}
