{{ mustFromJson "1e+" }}
