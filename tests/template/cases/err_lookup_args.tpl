{{ lookup "v1" "Pod" }}
