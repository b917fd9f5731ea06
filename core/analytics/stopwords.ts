/**
 * The commonest function words of English and Portuguese, written without
 * accents (text is folded before it is compared). Keywords leave them out;
 * the language detector counts them, since they are what tells two languages
 * apart in a short comment.
 */
const EN = `a about above after again against all am an and any are aren't as at be because been before being below between both but by
can can't cannot could couldn't did didn't do does doesn't doing don't down during each few for from further had hadn't has hasn't have
haven't having he her here hers herself him himself his how i i'm i've if in into is isn't it it's its itself just let's me more most
my myself no nor not of off on once only or other ought our ours ourselves out over own same she should shouldn't so some such than that
that's the their theirs them themselves then there these they they're this those through to too under until up very was wasn't we we're
were weren't what when where which while who whom why will with won't would wouldn't you you're your yours yourself yourselves also get
got im ive u ur yeah yes oh just really still even`;

const PT = `a ao aos aquela aquelas aquele aqueles aquilo as ate com como da das de dela delas dele deles depois do dos e ela elas ele eles em
entre era eram essa essas esse esses esta estas este estes estou eu foi fomos for foram ha isso isto ja la lhe lhes mais mas me mesmo meu
meus minha minhas muito na nas nem no nos nossa nossas nosso nossos num numa o os ou para pela pelas pelo pelos por qual quando que quem
se sem ser seu seus so sua suas tambem te tem tinha to tu tua tuas um uma umas uns voce voces vc vcs pra pro ta tô to estao esta sao e
ne aqui ai agora entao tipo cada todo toda todos todas nao sim onde aonde cade porque quanto quanta quantos`;

const words = (list: string) => new Set(list.split(/\s+/).filter(Boolean));

export const STOP_WORDS = { en: words(EN), pt: words(PT) } as const;

export function isStopWord(word: string): boolean {
  return STOP_WORDS.en.has(word) || STOP_WORDS.pt.has(word);
}
