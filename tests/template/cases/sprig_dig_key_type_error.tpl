{{ dig 1 "web" (dict) }}
