{{ mustFromJson "   " }}
