{{ mustFromJson "tru" }}
