{{ mustB64dec "!!" }}
