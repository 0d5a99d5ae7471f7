{{ mustFromJson "{\"a\":1}x" }}
