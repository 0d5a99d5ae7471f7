{{ (.Values.image).tag }}
