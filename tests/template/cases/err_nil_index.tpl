{{ nil.x }}
