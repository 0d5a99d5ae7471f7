{{ mustFromJson "\"\\\\" }}
