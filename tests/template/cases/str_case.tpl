{{ kebabcase "MyAppName" }}|{{ kebabcase "my_app name" }}|{{ kebabcase "HTTPServer" }}|{{ snakecase "HTTPServerURL" }}|{{ snakecase "already_snake" }}|{{ snakecase "with space" }}
{{ camelcase "my_app-name" }}|{{ camelcase "hello world" }}|{{ camelcase "_x_y" }}|{{ title "hello wORLD-foo bar_baz" }}|{{ untitle "Hello World" }}|{{ swapcase "Hello World ÉÀ" }}
{{ initials "hello World foo" }}|{{ nospace " a b\tc\n" }}|{{ plural "one" "many" 1 }}|{{ plural "one" "many" 0 }}|{{ plural "one" "many" 2 }}|{{ repeat 3 "ab" }}|{{ repeat 0 "x" }}
{{ trimAll "-_" "-_abc_-" }}|{{ trimPrefix "ab" "ababc" }}|{{ trimSuffix ".yaml" "a.yaml" }}|{{ trim "  x  " }}|{{ trim "\t\n x \u00a0" }}|{{ contains "ll" "hello" }}|{{ hasPrefix "he" "hello" }}|{{ hasSuffix "lo" "hello" }}
{{ lower "ÀÉÎ ÖÜ ΣΑΣ" }}|{{ upper "straße éà ß" }}|{{ title "élan vital" }}|{{ quote nil }}|{{ squote nil }}|{{ quote 3 1.5 true }}|{{ squote 3 "a'b" }}|{{ quote "a\"b\n" }}
{{ cat "a" nil "b" 3 }}|{{ cat }}|{{ cat nil }}|{{ cat "" "" }}|{{ replace "a" "b" "banana" }}|{{ replace "" "-" "abc" }}|{{ "abc" | replace "b" "" }}
{{ shuffle "" }}|{{ snakecase "" }}|{{ camelcase "" }}|{{ kebabcase "a1B2" }}|{{ snakecase "a1B2" }}|{{ camelcase "a1_b2" }}|{{ title "1st thing" }}
