/**
 * Portuguese sentiment words (Brazil and Portugal) with their intensity, -4 to
 * +4, written without accents since text is folded before lookup. Feminine and
 * plural forms are found from the masculine singular (see lexicon.ts).
 */
export const PT_WORDS = `
amo:3.2 amei:3.2 amar:2.8 ama:2.8 amando:2.8 adoro:3 adorei:3 adorar:2.6 apaixonada:3 apaixonado:3 apaixonei:3 lindo:2.9 belo:2.6
bonito:2.5 fofo:2.3 maravilhoso:3.2 maravilha:3 incrivel:3.2 perfeito:3.1 perfeicao:3.1 otimo:2.9 bom:1.9 boa:1.9 legal:1.8 bacana:2
show:2.2 top:2.4 demais:1.6 sensacional:3.1 espetacular:3.2 fantastico:3.1 excelente:3 massa:2 daora:2.2 dahora:2.2 irado:2.2 brabo:2
braba:2 arrasou:3 arrasando:3 arrasa:2.8 diva:2.4 rainha:2.4 deusa:2.6 musa:2.4 maravilhosa:3.2 gata:2 gato:1.8 lacrou:2.8 lacrando:2.8
feliz:2.7 alegria:2.6 felicidade:2.8 contente:2.2 animado:2.2 empolgado:2.4 orgulho:2.6 orgulhoso:2.5 grata:2.6 grato:2.6 gratidao:2.7
obrigado:1.9 obrigada:1.9 valeu:1.8 parabens:2.7 sucesso:2.5 vitoria:2.4 recomendo:2.4 recomendado:2.1 util:1.8 ajudou:2.2 ajuda:1.2
inspiracao:2.5 inspirador:2.7 inspira:2.3 admiro:2.6 admiracao:2.5 talento:2.5 talentoso:2.6 genial:2.9 gostei:2.2 gosto:1.6 gostoso:2.4
delicia:2.8 delicioso:2.9 saboroso:2.5 cheiroso:2.2 macio:1.6 suave:1.4 leve:1.2 confortavel:1.8 pratico:1.6 barato:1 vale:1.4
qualidade:1.4 brilhante:2.6 radiante:2.8 poderoso:2.4 poderosa:2.4 elegante:2.4 chique:2.2 estiloso:2.2 charmoso:2.2 encantador:2.7
encantada:2.7 encantado:2.7 fascinante:2.6 uau:2.4 nossa:0.8 kkk:1 kkkk:1.2 kkkkk:1.2 rsrs:1 haha:1 hahaha:1.2 divertido:2.2 engracado:2
hilario:2.5 sonho:2.2 sonhando:1.6 magico:2.6 especial:2.4 querida:2 querido:2 fofura:2.5 amor:2.8 amorzinho:2.6 lindeza:2.6 beleza:2.2
bem:1 melhor:2.6 melhores:2.6 favorito:2.5 preferido:2.3 viciada:2 viciado:2 aprovado:2.4 aprovada:2.4 aprovei:2.4 funciona:1.6
funcionou:2 resolveu:2 salvou:2.4 mudou:1 saudavel:1.8 natural:1 hidratada:1.6 hidratado:1.6 hidrata:1.6 iluminada:2 autentico:2
verdadeiro:1.6 sincero:1.8 honesto:1.8 gentil:2.2 simpatico:2.2 carismatico:2.5 fiel:1.6 incrivelmente:2 arrasadora:3 divo:2.4
brilho:1.8 glow:2 vibe:1 mito:2.4 craque:2.6 monstro:1.6 foda:1.8 quero:0.8 preciso:0.6 merece:1.8 mereceu:2 emocionante:2.6 emocionei:2.2
ruim:-2.5 pessimo:-3.2 horrivel:-3.2 terrivel:-3.1 odeio:-3.2 odiei:-3.2 odiar:-2.8 detesto:-3 detestei:-3 nojo:-3 nojento:-3.2 feio:-2.6
chato:-2.1 chata:-2.1 tedio:-2 entediante:-2.2 fraco:-1.8 fraca:-1.8 mediocre:-1.9 fake:-2.5 falso:-2.5 mentira:-2.7 mentiroso:-3
mentirosa:-3 golpe:-3.2 golpista:-3.3 enganacao:-3 enganado:-2.8 enganada:-2.8 fraude:-3.2 roubada:-2.8 roubo:-2.9 decepcao:-2.7
decepcionado:-2.7 decepcionada:-2.7 decepcionante:-2.7 triste:-2.2 tristeza:-2.3 chateado:-2.2 chateada:-2.2 raiva:-2.7 irritado:-2.2
irritada:-2.2 irritante:-2.3 bravo:-1.8 revoltado:-2.6 revoltada:-2.6 inutil:-2.6 lixo:-3 porcaria:-2.9 merda:-2.9 bosta:-2.8 caro:-1.4
carissimo:-2 desperdicio:-2.5 perdi:-1.6 perda:-1.8 problema:-1.6 problemas:-1.6 defeito:-2.2 quebrou:-2.2 quebrado:-2.2 estragou:-2.4
estragado:-2.4 alergia:-2.2 irritacao:-2.2 coceira:-2 ardeu:-2.2 arde:-2 ardendo:-2.2 queimou:-2.4 manchou:-2 espinha:-1.4 espinhas:-1.4
oleoso:-0.4 ressecado:-1.2 grudento:-1.4 fedido:-2.4 fedor:-2.4 cheiro:-0.4 demora:-0.6 demorou:-1.6 atrasado:-1.6 atraso:-1.6 lento:-1.2
confuso:-1.4 dificil:-0.8 pior:-3 piores:-3 cringe:-2.3 vergonha:-2.2 vergonhoso:-2.7 ridiculo:-2.4 absurdo:-2.2 ofensivo:-2.7
polemico:-1.2 toxico:-2.8 arrogante:-2.4 grosso:-2.2 grosseiro:-2.4 mal:-2 mau:-2.2 errado:-2 erro:-1.8 falha:-2 falhou:-2.2 fracasso:-2.6
flopou:-2.4 flop:-2.4 caiu:-1 sumiu:-1 vendido:-2.2 interesseiro:-2.4 mercenario:-2.4 apelao:-2 forcado:-1.8 forcada:-1.8 exagerado:-1.4
deixei:-0.6 unfollow:-2.6 desisto:-2 desisti:-2 arrependido:-2.4 arrependida:-2.4 arrependimento:-2.5 reembolso:-1.8 devolvi:-1.8
devolver:-1.4 cansado:-1.2 cansada:-1.2 cansativo:-2 enjoado:-1.8 enjoada:-1.8 estranho:-1.2 duvido:-1.6 duvida:-0.6 suspeito:-1.8
pena:-1.2 infelizmente:-1.8 poxa:-1 affs:-1.8 aff:-1.8 argh:-1.8 credo:-1.8 eca:-2.4 afe:-1.6 mimimi:-1.6 cancelado:-2.2 cancelada:-2.2
propaganda:-0.6 enganosa:-2.8 enganoso:-2.8 caroço:-0.6 desnecessario:-2 horroroso:-3.2 medonho:-2.6 bizarro:-1.6 caotico:-1.4
decepciona:-2.4 piorou:-2.4 preguica:-1.8 arrependi:-2.4 presta:1.6 curti:2 curtir:1.8 curto:1.2 fraquissimo:-2.6
`;

export const PT_INTENSIFIERS = `muito:1.4 muita:1.4 super:1.5 mega:1.5 hiper:1.5 tao:1.4 extremamente:1.7 bastante:1.3 totalmente:1.4
completamente:1.5 absolutamente:1.6 demais:1.4 bem:1.2 mais:1.2 sempre:1.1 simplesmente:1.3 realmente:1.4 pouco:0.6 meio:0.6
levemente:0.6 quase:0.7 muuuito:1.6 muuito:1.5`;

export const PT_NEGATORS = "nao nunca jamais nem nenhum nenhuma nada ninguem sem tampouco";

export const PT_CONTRASTS = "mas porem contudo entretanto todavia";
