{{ mustFromJson "" }}
