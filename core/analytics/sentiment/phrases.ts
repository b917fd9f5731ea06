/**
 * Expressions whose words mean something else apart ("nunca mais" is not a
 * negated "mais"), matched before single words. Folded, space-separated.
 */
export const PHRASES = new Map<string, number>([
  ["nunca mais", -2.4],
  ["never again", -2.4],
  ["vale a pena", 2.2],
  ["valeu a pena", 2.2],
  ["vale muito a pena", 2.8],
  ["valeu muito a pena", 2.8],
  ["mais ou menos", -0.8],
  ["so so", -0.8],
  ["deixa a desejar", -2.2],
  ["deixou a desejar", -2.2],
  ["sem palavras", 2.4],
  ["no words", 2.2],
  ["me poupe", -2],
  ["fala serio", -1.6],
  ["must have", 2.2],
  ["waste of money", -2.8],
  ["dinheiro jogado fora", -2.8],
  ["not worth it", -2.2],
  ["nao recomendo", -2.4],
  ["do not recommend", -2.4],
  ["don't recommend", -2.4],
  ["dont recommend", -2.4],
  ["la vem", -1.2],
  ["here we go again", -1.4],
  ["who cares", -1.8],
  ["make my day", 2.4],
  ["made my day", 2.4],
  ["makes my day", 2.4],
  ["quem liga", -1.8],
]);

/** The longest phrase is three words or four; looking further ahead finds nothing. */
export const LONGEST_PHRASE = Math.max(...[...PHRASES.keys()].map((p) => p.split(" ").length));
