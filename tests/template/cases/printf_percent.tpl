{{ printf "100%% %s" "done" }}
