{{ print (
  1
}}
