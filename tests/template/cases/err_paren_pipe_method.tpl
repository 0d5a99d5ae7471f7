{{ (.Values.map | keys).x }}
