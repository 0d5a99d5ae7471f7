[{{ trim .Values.spaces }}] [{{ trimAll "$" "$$a$b$$" }}] [{{ trimPrefix "he" .Values.str }}] [{{ trimSuffix "ld" .Values.str }}] [{{ trim "\t\n x \n" }}] [{{ trimall "ab" "abxba" }}]
