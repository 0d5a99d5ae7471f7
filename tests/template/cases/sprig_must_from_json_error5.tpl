{{ mustFromJson "-x" }}
