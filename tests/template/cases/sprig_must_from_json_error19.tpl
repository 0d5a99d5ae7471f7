{{ mustFromJson "\"a\tb\"" }}
