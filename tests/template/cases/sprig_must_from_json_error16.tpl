{{ mustFromJson "[1,]" }}
