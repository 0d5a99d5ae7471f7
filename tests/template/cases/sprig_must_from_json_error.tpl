{{ mustFromJson "{bad" }}
