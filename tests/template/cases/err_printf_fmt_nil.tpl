{{ printf nil }}
