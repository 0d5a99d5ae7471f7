{{ (nil).x }}
