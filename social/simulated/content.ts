/**
 * What simulated creators talk about and what their audiences answer, in
 * English and Portuguese: topics and hashtags per category, captions, bios,
 * and comments that are positive, negative (negations included: "not good",
 * "não gostei") or neutral, so the analytics has real words to read.
 */

export type Language = "en" | "pt";
export type Tone = "positive" | "negative" | "neutral";

export interface Category {
  name: string;
  /** What a post is about, per language: the same index is the same thing. */
  things: Record<Language, readonly string[]>;
  hashtags: readonly string[];
  bio: Record<Language, string>;
}

export const CATEGORIES: readonly Category[] = [
  {
    name: "beauty",
    things: { en: ["skincare routine", "matte lipstick", "glow serum", "bridal makeup", "brow tutorial", "sunscreen review"], pt: ["rotina de skincare", "batom matte", "sérum iluminador", "maquiagem de noiva", "tutorial de sobrancelha", "resenha de protetor solar"] },
    hashtags: ["#beauty", "#skincare", "#makeup", "#glowup", "#maquiagem"],
    bio: { en: "Makeup artist · skincare that works on real skin", pt: "Maquiadora · skincare que funciona em pele real" },
  },
  {
    name: "fitness",
    things: { en: ["leg day", "20-minute HIIT", "protein breakfast", "marathon prep", "mobility flow", "home workout"], pt: ["treino de perna", "HIIT de 20 minutos", "café da manhã proteico", "preparação para maratona", "alongamento", "treino em casa"] },
    hashtags: ["#fitness", "#workout", "#gym", "#treino", "#healthy"],
    bio: { en: "Coach · strength, running and honest nutrition", pt: "Personal trainer · força, corrida e nutrição sem mitos" },
  },
  {
    name: "food",
    things: { en: ["street food tour", "sourdough bread", "chocolate cake", "vegan lasagna", "coffee tasting", "brunch spot"], pt: ["tour de comida de rua", "pão de fermentação natural", "bolo de chocolate", "lasanha vegana", "degustação de café", "lugar para brunch"] },
    hashtags: ["#food", "#foodie", "#recipe", "#receita", "#comida"],
    bio: { en: "Home cook · recipes, restaurants and street food", pt: "Cozinheira de casa · receitas, restaurantes e comida de rua" },
  },
  {
    name: "tech",
    things: { en: ["phone camera test", "budget laptop", "smartwatch review", "desk setup", "wireless earbuds", "AI tools"], pt: ["teste de câmera do celular", "notebook barato", "review de smartwatch", "setup de mesa", "fones sem fio", "ferramentas de IA"] },
    hashtags: ["#tech", "#gadgets", "#review", "#tecnologia", "#unboxing"],
    bio: { en: "Gadgets tested for a month before I say a word", pt: "Gadgets testados por um mês antes de eu opinar" },
  },
  {
    name: "travel",
    things: { en: ["weekend in Lisbon", "safari sunrise", "beach hideaway", "budget hostel", "mountain hike", "night market"], pt: ["fim de semana em Lisboa", "safári ao nascer do sol", "praia escondida", "hostel barato", "trilha na montanha", "feira noturna"] },
    hashtags: ["#travel", "#wanderlust", "#viagem", "#explore", "#trip"],
    bio: { en: "Carry-on only · 40 countries and counting", pt: "Só mala de mão · 40 países e contando" },
  },
  {
    name: "fashion",
    things: { en: ["summer lookbook", "thrift haul", "capsule wardrobe", "denim jacket", "sneaker drop", "office outfit"], pt: ["lookbook de verão", "achados de brechó", "guarda-roupa cápsula", "jaqueta jeans", "lançamento de tênis", "look de trabalho"] },
    hashtags: ["#fashion", "#ootd", "#style", "#moda", "#lookdodia"],
    bio: { en: "Style on a budget · new looks every week", pt: "Estilo sem gastar muito · looks novos toda semana" },
  },
  {
    name: "comedy",
    things: { en: ["office sketch", "family dinner skit", "prank gone wrong", "stand-up clip", "parody ad", "roommate story"], pt: ["esquete de escritório", "jantar de família", "pegadinha que deu errado", "trecho de stand-up", "paródia de propaganda", "história de república"] },
    hashtags: ["#comedy", "#funny", "#humor", "#skit", "#comedia"],
    bio: { en: "Sketches about everyday chaos", pt: "Esquetes sobre o caos de todo dia" },
  },
  {
    name: "gaming",
    things: { en: ["ranked grind", "speedrun attempt", "new patch", "boss fight", "controller review", "indie gem"], pt: ["partida ranqueada", "tentativa de speedrun", "patch novo", "luta contra o chefe", "review de controle", "jogo indie"] },
    hashtags: ["#gaming", "#gamer", "#twitch", "#jogos", "#esports"],
    bio: { en: "Streams four nights a week · RPGs and shooters", pt: "Live quatro noites por semana · RPG e tiro" },
  },
];

const CAPTIONS: Record<Language, readonly string[]> = {
  en: ["My {thing} — full breakdown in the video", "Trying the {thing} everyone asked about", "Honest thoughts on this {thing}", "Day 3 of the {thing} series", "{thing}, but make it simple", "Would you try this {thing}?"],
  pt: ["Meu {thing} — tudo explicado no vídeo", "Testei o {thing} que vocês pediram", "Minha opinião sincera sobre {thing}", "Dia 3 da série {thing}", "{thing} do jeito mais simples", "Vocês teriam coragem de testar esse {thing}?"],
};

const COMMENTS: Record<Language, Record<Tone, readonly string[]>> = {
  en: {
    positive: ["Love this {thing}! 😍", "This is amazing, thank you", "Best {thing} I have seen all year", "So helpful, saving this", "Not bad at all, I'm impressed", "You never disappoint 🔥", "Great video, really clear"],
    negative: ["Not good, the {thing} looks fake", "This is boring honestly", "I hate these sponsored posts", "Terrible advice, don't do this", "Not worth the money", "Worst {thing} so far 👎", "I don't like this at all"],
    neutral: ["Where did you get the {thing}?", "What time is the next live?", "Is this available in Brazil?", "Link please", "Which brand is that?", "First time seeing this {thing}"],
  },
  pt: {
    positive: ["Amei esse {thing}! 😍", "Que incrível, obrigada por compartilhar", "Melhor {thing} que já vi", "Muito bom, salvei aqui", "Nada mal, gostei muito", "Você arrasa sempre 🔥", "Perfeito, ficou lindo"],
    negative: ["Não gostei, o {thing} parece falso", "Muito chato esse vídeo", "Odeio esses posts patrocinados", "Péssima dica, não façam isso", "Não vale o preço", "Pior {thing} até agora 👎", "Não curti nada"],
    neutral: ["Onde você comprou o {thing}?", "Que horas é a próxima live?", "Tem no Brasil?", "Manda o link", "Qual é a marca?", "Primeira vez que vejo esse {thing}"],
  },
};

export const captionTemplates = (language: Language): readonly string[] => CAPTIONS[language];
export const commentTemplates = (language: Language, tone: Tone): readonly string[] => COMMENTS[language][tone];

export const fill = (template: string, thing: string): string => template.replace("{thing}", thing);

/** Commenters' names: a handle-like word and two digits, so authors repeat across posts as a real audience does. */
export const COMMENTER_NAMES = ["ana", "joao", "wanjiru", "kev", "bia", "lucas", "mariana", "otieno", "sofia", "pedro", "amani", "carla", "diego", "fatima", "rafa", "zuri"];
