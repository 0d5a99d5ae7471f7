{{ mustFromJson "1e" }}
