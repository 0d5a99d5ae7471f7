{{ mustFromJson "{\"a\": 1, \"b\": [1, \"x\", null]}" }}|{{ mustFromJson "[1,2]" }}|{{ mustFromJson "3" | typeOf }}|{{ mustFromJson "\"s\"" }}|{{ mustFromJson "null" }}|{{ mustFromJson "true" }}
