{{ mustFromJson "\"abc" }}
