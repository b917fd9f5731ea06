/**
 * English sentiment words with their intensity, -4 (hateful) to +4 (adoring),
 * in the register of comments under a creator's post. Forms are looked up as
 * written first, then without a plural or tense ending (see lexicon.ts).
 */
export const EN_WORDS = `
love:3 loved:3 loving:2.5 lovely:2.8 adore:3.2 adorable:2.6 amazing:3.2 awesome:3.1 incredible:3.2 wonderful:3.1 fantastic:3.2 fabulous:3
gorgeous:3 beautiful:2.9 stunning:3 pretty:2 cute:2.2 great:2.8 good:1.9 nice:1.8 cool:1.5 fine:0.8 okay:0.3 ok:0.3 best:3 better:1.6
perfect:3 excellent:3 brilliant:3 superb:3 outstanding:3 impressive:2.5 inspiring:2.7 inspired:2.2 inspiration:2.3 iconic:2.6 legend:2.5
legendary:2.8 goals:2.2 queen:2.2 king:2 slay:2.6 slayed:2.6 slaying:2.6 fire:2.2 lit:2 dope:2 epic:2.6 wow:2.4 yay:2.2 omg:1 lol:0.8
haha:1 hahaha:1.2 fun:2 funny:1.9 hilarious:2.5 happy:2.7 glad:2.2 thrilled:3 excited:2.6 exciting:2.6 obsessed:2.6 favourite:2.5 favorite:2.5
fave:2.3 fav:2.3 recommend:2 recommended:2 helpful:2.2 useful:1.9 informative:2 thanks:1.9 thank:1.9 thx:1.6 grateful:2.7 appreciate:2.3
appreciated:2.3 proud:2.5 congrats:2.6 congratulations:2.7 well:0.5 glowing:2.4 glow:2 flawless:3 fresh:1.6 clean:1.2 smooth:1.6 soft:1.2
delicious:2.9 yummy:2.6 tasty:2.4 comfy:1.8 comfortable:1.8 worth:1.6 worthy:1.8 quality:1.2 genius:2.7 smart:2 clever:2 talented:2.6
magic:2.2 magical:2.6 dreamy:2.4 heavenly:2.8 elegant:2.4 chic:2.2 classy:2.2 stylish:2.2 sweet:2 kind:2 generous:2.4 honest:1.8 real:0.8
authentic:2 genuine:2 vibes:1.2 vibe:1 beauty:2.2 win:2.2 winner:2.5 wins:2.2 success:2.4 successful:2.4 enjoy:2.2 enjoyed:2.3 enjoying:2.2
like:1.5 liked:1.6 likes:1.4 wholesome:2.4 relatable:1.8 mood:0.8 bless:2 blessed:2.4 masterpiece:3.2 unreal:2.2 insane:1.8 crazy:0.8
need:0.6 want:0.8 wish:0.6 waiting:0.4 glam:2 healthy:1.8 strong:1.6 calm:1.4 peaceful:2 radiant:2.8 luminous:2.4 hydrated:1.6 hydrating:1.6
works:1.5 worked:1.4 working:1 improve:1.6 improved:1.9 improvement:1.8 helped:2 saved:1.8 lifesaver:2.8 gamechanger:2.8 unboxing:0
wrong:-2 bad:-2.5 terrible:-3.2 horrible:-3.2 awful:-3.1 worst:-3.4 worse:-2.5 hate:-3.1 hated:-3.1 hating:-2.6 dislike:-2.2 disgusting:-3.3
gross:-2.6 ugly:-2.6 boring:-2.1 bored:-1.8 lame:-2 meh:-1.2 mediocre:-1.7 poor:-2 cheap:-1.2 fake:-2.5 scam:-3.2 scammer:-3.3 fraud:-3.2
liar:-3 lies:-2.6 lying:-2.6 lie:-2.2 cringe:-2.3 cringey:-2.3 annoying:-2.2 annoyed:-2 irritating:-2.2 irritated:-2.1 disappointed:-2.6
disappointing:-2.6 disappointment:-2.6 sad:-2.1 upset:-2.2 angry:-2.6 mad:-1.8 furious:-3 useless:-2.6 waste:-2.4 wasted:-2.4 overpriced:-2.2
expensive:-1.2 broke:-1.6 broken:-2.2 burn:-1.8 burned:-2.2 burning:-2 rash:-2.2 breakout:-1.8 breakouts:-1.8 itchy:-1.9 sticky:-1.2
greasy:-1.6 oily:-0.4 dry:-0.3 smell:-0.6 smells:-0.8 stinks:-2.4 stink:-2.4 problem:-1.6 problems:-1.6 issue:-1.2 issues:-1.2 fail:-2.4
failed:-2.4 failure:-2.6 sucks:-2.6 suck:-2.4 sucked:-2.5 trash:-2.8 garbage:-2.9 rubbish:-2.6 nonsense:-2.2 stupid:-2.5 dumb:-2.3 idiot:-2.9
ridiculous:-2.1 unfollow:-2.6 unfollowed:-2.6 unsubscribe:-2.4 unsubscribed:-2.4 clickbait:-2.6 spam:-2.4 sellout:-2.6 greedy:-2.4
rude:-2.5 arrogant:-2.4 toxic:-2.8 problematic:-2.3 shame:-2.2 shameful:-2.6 embarrassing:-2.2 offensive:-2.7 misleading:-2.6 unfair:-2
sorry:-0.6 unfortunately:-1.6 sadly:-1.6 avoid:-1.8 regret:-2.4 regrets:-2.4 refund:-1.8 returned:-1.2 return:-0.8 damaged:-2.2
never:-0.4 nobody:-0.6 ugh:-1.8 yikes:-2 eww:-2.4 ew:-2.2 wtf:-1.8 smh:-1.6 lost:-1.2 late:-0.8 slow:-1.2 confusing:-1.6 confused:-1.4
hard:-0.6 difficult:-1 painful:-2.2 pain:-1.8 hurts:-1.8 hurt:-2 sick:-1.8 tired:-1.2 weird:-1.2 strange:-1 overrated:-2.2 underwhelming:-2
flop:-2.4 flopped:-2.4 dead:-1.6 dying:-0.4 died:-0.6 killing:0.6 killed:0.4 obnoxious:-2.5 unwatchable:-3 unbearable:-2.8 bland:-1.6
scary:-1.4 worried:-1.6 worry:-1.4 doubt:-1.4 suspicious:-1.8 sketchy:-2.2 shady:-2.2 cheated:-2.8 ripoff:-2.8 ripped:-1.2 hype:0.2 hyped:1.2
disappoint:-2.4 disappoints:-2.4 complaint:-1.8 complaints:-1.8 work:1.2 fan:1.8 impressed:2.2 trust:1.8 honestly:0
`;

/** Words that strengthen (>1) or soften (<1) the sentiment word after them. */
export const EN_INTENSIFIERS = `really:1.4 very:1.4 so:1.3 super:1.5 extremely:1.7 incredibly:1.6 absolutely:1.6 totally:1.4 truly:1.4
too:1.2 most:1.3 such:1.3 literally:1.3 seriously:1.4 deeply:1.5 highly:1.5 completely:1.5 utterly:1.7 insanely:1.6 soooo:1.6 sooo:1.5
quite:1.1 pretty:1.1 bit:0.6 slightly:0.6 somewhat:0.7 kinda:0.7 kind:0.7 sorta:0.7 little:0.7 barely:0.5 almost:0.7`;

/** Words that turn the next few words' sentiment around. */
export const EN_NEGATORS = `not no never none nothing nobody neither nor cannot can't don't doesn't didn't isn't wasn't aren't weren't
won't wouldn't shouldn't couldn't haven't hasn't hadn't dont doesnt didnt isnt wasnt arent werent wont wouldnt shouldnt couldnt cant
havent hasnt without hardly`;

/** Words after which what follows counts more than what came before ("cute, but it broke"). */
export const EN_CONTRASTS = "but however though although yet";
