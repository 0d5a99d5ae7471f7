{{ mustFromJson "nul" }}
