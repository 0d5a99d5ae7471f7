{{ template .x }}
