{{ contains "lo w" .Values.str }} {{ contains "zz" .Values.str }} {{ hasPrefix "hell" .Values.str }} {{ hasSuffix "x" .Values.str }} {{ contains "" "" }} {{ .Values.str | hasPrefix "h" }}
