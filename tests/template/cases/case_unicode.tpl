{{ lower "ÀÉÎ ÖÜ ΣΑΣ ДОМ İSTANBUL ǅ Ÿ K" }}|{{ upper "straße ÿ ı ǆ дом ſ µ ﬁ" }}|{{ title "élan ωμέγα дом ǆx" }}|{{ untitle "Élan Ωμέγα" }}
{{ swapcase "Ωμέγα Дом ǅ" }}|{{ camelcase "ωμέγα_дом" }}|{{ snakecase "ΩμέγαДом" }}|{{ kebabcase "ÉlanVital" }}|{{ initials "élan ωμέγα" }}
{{ upper "日本語 한국어 ⅰⅱ ⓐ" }}|{{ lower "ⅠⅡ Ⓐ 𐐀" }}|{{ upper "𐐨" }}
{{ swapcase "hello wORLD ǆx ÿ ß ª" }}|{{ swapcase "a\xffb c" }}|{{ initials "élan àbc x\u00a0y" }}|{{ initials "\u0085a b" }}|{{ title "ǆa ǅb" }}|{{ swapcase "ǆ ǅ" }}
{{ camelcase "ÿes_ñu" }}|{{ snakecase "ÑuÿesÀb" }}|{{ kebabcase "ΑβγΔεζ" }}|{{ camelcase "дом_дом" }}
