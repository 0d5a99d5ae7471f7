{{ mustFromJson "01" }}
