/**
 * Portuguese comments (Brazil and Portugal) in the style of an influencer's
 * comment section, labelled by hand (+ positivo, - negativo, 0 neutro).
 * Written for this set; about one in five carries a negation ("não gostei",
 * "nunca mais"). Used to measure the analyzer (accuracy.ts).
 */
export const PT_LABELLED = `
+ Amei demais esse look 😍
+ Que lindo, onde compro?
+ Você é maravilhosa!!
+ Arrasou como sempre 🔥
+ Melhor tutorial que já vi
+ Que pele linda, tá brilhando ✨
+ Comprei depois do seu vídeo e amei
+ Adorei a dica, muito útil
+ Perfeita demais
+ Sensacional esse vídeo
+ Você é minha inspiração
+ Que receita deliciosa, vou fazer hoje
+ Parabéns pelos 100 mil! Merece muito 🎉
+ Que vibe boa
+ Obrigada pela dica, funcionou
+ Rainha 👑
+ Que fofura 🥰
+ Conteúdo top demais
+ Lacrou!
+ Esse produto é muito bom mesmo
+ Não tem como não amar
+ Nunca vi nada tão lindo
+ Não decepciona nunca
+ Sem palavras, perfeito
+ Vale muito a pena, recomendo
+ Gostei bastante do resultado
+ Que maravilha de lugar
+ Me ajudou demais, obrigado
+ Incrível como sempre
+ Tô apaixonada nessa paleta
+ Que orgulho de você
+ Você merece todo o sucesso do mundo
+ Kkkkk muito engraçado, amei
+ Que look chique
+ Top! Já quero
+ Melhor criadora do Brasil
+ Ficou lindo demais
+ Amo seus vídeos
+ Que delícia
+ Muito bom, parabéns pelo trabalho
+ Que energia boa você passa
+ Esse batom é lindíssimo
+ Simplesmente perfeito
+ Uau, que transformação incrível
+ Excelente conteúdo, muito bem explicado
+ Não é caro e funciona muito bem
+ Show de bola
+ Adoro a sua sinceridade
+ Fiquei encantada com o cenário
+ Nada mais perfeito que isso
+ Que linda família ❤️
+ Esse cabelo ficou maravilhoso
+ Brilhante, como sempre
+ Meu favorito do canal
+ Que vídeo inspirador
+ Aprovadíssimo
+ Tudo de bom
+ Que talento
+ Feliz demais por você
+ Estou muito feliz com o resultado
+ Ótima dica, salvei aqui
- Não gostei
- Nunca mais compro essa marca
- Que produto horrível
- Péssimo atendimento, até hoje sem resposta
- Não funcionou nada em mim
- Deu alergia, não recomendo
- Que vídeo chato
- Só propaganda agora, deixei de seguir
- Muito caro pra pouca qualidade
- Fake demais
- Que decepção essa collab
- Isso é golpe, meu pedido nunca chegou
- Esse perfume tem um cheiro ruim
- Não é bom
- Ardeu muito e manchou minha pele
- Não vale a pena
- Que vergonha
- Tô decepcionada com você
- Piorou muito o canal
- Não gosto desse estilo
- Dinheiro jogado fora
- Que nojo 🤮
- Mentira, você nem usou o produto
- Vendido, só faz publi
- Deixou a desejar
- Produto de péssima qualidade
- Chegou quebrado
- Ridículo esse comentário
- Esse vídeo é muito longo e cansativo
- Pior receita que já fiz
- Fiquei triste com isso 😢
- Não recomendo pra ninguém
- Achei fraco
- Que preguiça desse conteúdo
- Esse corretivo é horroroso
- Me arrependi de comprar
- Tudo forçado, nada natural
- Aff, de novo essa marca
- Sumiu e voltou com propaganda, que chato
- Não presta
- Não gostei nada do resultado
- Comprei e me arrependi
- Que absurdo cobrarem isso
- Credo, que feio
- O som está horrível
- Nunca mais volto nessa loja
- Enganação total
- Esse filtro é muito falso
- Que tédio
- Estragou meu cabelo
- Infelizmente não funcionou
- Não curti a nova fase
- Péssimo
- Deu espinha em tudo
- Irritante demais essa música
- Sério que você indicou isso? Lixo
- Perdi meu dinheiro
- Ficou muito oleoso, não gostei
- Fraquíssimo
- Você mudou e não foi pra melhor
0 Onde você comprou essa blusa?
0 Qual é o tom da base?
0 Tem no Brasil?
0 Parte 2 por favor
0 Primeira
0 Qual câmera você usa?
0 Quanto tempo demora a entrega?
0 Link na bio?
0 Que cidade é essa?
0 Marcando minha irmã
0 Qual o nome da música?
0 É vegano?
0 Assistindo de Portugal
0 Tem cupom de desconto?
0 Que horas é a live?
0 Faz um vídeo sobre óleos de cabelo
0 Eu tenho essa mesma caneca
0 É a fórmula nova ou a antiga?
0 O sorteio ainda está valendo?
0 Qual a marca do liquidificador?
0 Alguém sabe o preço?
0 É o terceiro vídeo da semana
0 Quando lança?
0 Quem está assistindo em 2026?
0 Posso usar com ácido?
0 Qual o seu tipo de pele?
0 Entrega em Portugal?
0 É publi?
0 A loja abre às dez
0 Minha mãe usa esse
0 Quanto você mede?
0 Que praia é essa?
0 Qual filtro é esse?
0 Estou vendo pelo celular
0 O que tem na bolsa?
0 Esse é seu cachorro?
0 Vi seu story ontem
0 Vai ter live amanhã?
0 Serve para pele oleosa?
0 Qual o tamanho da embalagem?
`;
