{{ upper .Values.str }} {{ lower "HeLLo ÉÀ" }} {{ upper "héllo" }} {{ title "hello wide-world foo_bar x.y" }} {{ untitle "Hello World" }}
