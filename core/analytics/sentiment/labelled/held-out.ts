/**
 * A second labelled set per language, written after the lexicons were tuned
 * on en.ts and pt.ts and never used to tune them: its accuracy is the honest
 * estimate of how the analyzer does on comments it has not seen.
 */
export const EN_HELD_OUT = `
+ This palette is everything, thank you for the rec
+ Came for the recipe, stayed for your personality
+ Okay this is genius
+ The before and after is wild, great job
+ Really enjoyed this one
+ You explain things so clearly
+ Ordered mine yesterday, can't wait!
+ Love how honest you are about the product
+ That sunset shot 😍
+ Another banger
+ I didn't think it would work but it really did
+ Not a single bad video on this channel
+ My skin has never looked this good
+ You make it look so easy, amazing
+ Such good taste
- That's a lot of filter
- Bought it because of you and it was a total waste
- Not buying this, way too expensive
- The product gave me a horrible rash
- This used to be my favourite channel, not anymore
- Why would you promote this scam
- The video quality is terrible today
- I'm unsubscribing, too many ads
- Boring, skip
- This didn't age well
- Please stop with the clickbait titles
- Honestly not worth the hype
- The taste was awful
- So fake it hurts
- Zero effort in this one
0 What's the name of the lipstick?
0 Is the code still valid?
0 Which episode is this from?
0 How much did it cost?
0 Does it work on curly hair?
0 Where was this filmed?
0 Are you going to the event next week?
0 I'm from Brazil
0 Can you share the playlist?
0 What time zone are you in?
`;

export const PT_HELD_OUT = `
+ Essa paleta é tudo, obrigada pela dica
+ Vim pela receita e fiquei pela sua simpatia
+ Genial demais
+ O antes e depois ficou incrível, parabéns
+ Curti muito esse vídeo
+ Você explica tudo tão bem
+ Já comprei o meu, ansiosa pra chegar!
+ Amo como você é sincera sobre os produtos
+ Que pôr do sol lindo 😍
+ Mais um vídeo perfeito
+ Achei que não ia funcionar, mas funcionou muito bem
+ Nenhum vídeo ruim nesse canal
+ Minha pele nunca esteve tão bonita
+ Você faz parecer fácil, maravilhosa
+ Que bom gosto
- Quanto filtro
- Comprei por sua causa e foi um desperdício
- Não vou comprar, caro demais
- O produto me deu uma alergia horrível
- Era meu canal favorito, não é mais
- Por que divulgar esse golpe
- A qualidade do vídeo está péssima hoje
- Vou deixar de seguir, muita propaganda
- Chato, pulei
- Esse vídeo envelheceu mal
- Para com esses títulos enganosos
- Sinceramente não vale o hype
- O gosto era horrível
- Falso demais
- Nenhum esforço nesse vídeo
0 Qual o nome desse batom?
0 O cupom ainda vale?
0 De qual episódio é isso?
0 Quanto custou?
0 Funciona em cabelo cacheado?
0 Onde foi gravado?
0 Você vai no evento semana que vem?
0 Sou de Angola
0 Pode compartilhar a playlist?
0 Qual o seu fuso horário?
`;
