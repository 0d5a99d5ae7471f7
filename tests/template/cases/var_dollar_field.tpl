{{ $.Values.image.tag }}
