{{ mustFromJson "trux" }}
