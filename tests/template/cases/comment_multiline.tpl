a{{/*
line
*/}}b
