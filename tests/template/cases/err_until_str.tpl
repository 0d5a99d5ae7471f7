{{ until "x" }}
