{{ mustMerge (dict) "x" }}
