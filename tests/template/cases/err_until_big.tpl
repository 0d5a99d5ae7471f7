{{ untilStep 0 5 -1 | len }}
