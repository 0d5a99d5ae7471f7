a	
{{-	.Values.name	-}}
	b
