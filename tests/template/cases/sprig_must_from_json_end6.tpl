{{ mustFromJson "\"\\\\u12" }}
