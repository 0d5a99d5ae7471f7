{{ (.Values.name).x }}
