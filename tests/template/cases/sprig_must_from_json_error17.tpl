{{ mustFromJson "{,}" }}
