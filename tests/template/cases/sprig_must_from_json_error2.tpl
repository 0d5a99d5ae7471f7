{{ mustFromJson "[1 2]" }}
