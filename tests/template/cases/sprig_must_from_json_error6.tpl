{{ mustFromJson "1.x" }}
