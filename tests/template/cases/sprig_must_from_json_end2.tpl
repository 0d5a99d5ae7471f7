{{ mustFromJson "1." }}
