{{ mustFromJson "fals" }}
