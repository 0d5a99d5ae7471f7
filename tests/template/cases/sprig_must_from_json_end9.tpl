{{ mustFromJson "[1" }}
