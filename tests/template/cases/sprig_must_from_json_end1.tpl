{{ mustFromJson "-" }}
