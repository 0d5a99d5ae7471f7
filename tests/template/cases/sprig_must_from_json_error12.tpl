{{ mustFromJson "\"\\\\u12g4\"" }}
