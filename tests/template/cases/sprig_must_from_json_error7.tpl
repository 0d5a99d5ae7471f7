{{ mustFromJson "1ex" }}
