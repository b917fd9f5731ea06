/**
 * English comments as they appear under creators' posts, each labelled by hand
 * (+ positive, - negative, 0 neutral). Written for this set, not scraped; about
 * one in five carries a negation. Used to measure the analyzer (accuracy.ts).
 */
export const EN_LABELLED = `
+ I love this look so much 😍
+ This is amazing, where can I get it?
+ You always make my day!!
+ Obsessed with this routine
+ Queen!! 👑🔥
+ This is honestly the best tutorial I've seen
+ So pretty, the colours are gorgeous
+ Absolutely stunning as always
+ Your skin is glowing ✨
+ Bought it after your last video and it's perfect
+ Love your energy, never change
+ This made me laugh so hard 😂 great video
+ Wow, the editing on this is incredible
+ Can't wait to try this recipe, looks delicious
+ You deserve all the success
+ Thanks for the honest review, super helpful
+ This is so wholesome 🥰
+ Goals! Love the outfit
+ The lighting in this shot is unreal
+ Best channel on YouTube, no question
+ I tried it and it really works
+ Congrats on 100k!! So proud of you 🎉
+ Such a cute idea
+ Your content keeps getting better
+ Not bad at all, actually pretty good
+ I wasn't expecting much but this is fantastic
+ Never disappoints 👏
+ Not gonna lie, this is brilliant
+ No complaints, works perfectly
+ Can't stop watching this, it's so good
+ This serum changed my skin, thank you
+ Finally someone who explains it well
+ The vibes are immaculate, love it
+ Slay! 🔥🔥
+ Perfect as always
+ Great tips, saved for later
+ You're an inspiration
+ Loved every second of this
+ That view is breathtaking, beautiful place
+ Top tier content 💯
+ This song is fire
+ Such a lovely family
+ Yum, that looks so tasty
+ Happy for you! You earned it
+ This is exactly what I needed today, thank you 🙏
+ Iconic
+ I'm so excited for the collab
+ Recommended this to all my friends
+ You never fail to impress me
+ Your makeup is flawless
+ Gorgeous colours, love the palette
+ Omg I need this in my life 😍
+ So inspiring, thank you for sharing
+ Nothing but good vibes here
+ I don't think I've ever loved a video more
+ This deserves way more views, great work
+ Amazing results, my hair feels so soft
+ Legend 🙌
+ Well done, the transformation is impressive
+ Such a fun video haha
+ You look so happy here ❤️
+ Great quality, totally worth it
- This is so boring
- Worst product I've ever bought
- Not worth the money at all
- I don't like this at all
- This broke me out so bad, avoid
- Fake reviews, you never even used it
- Unfollowing, this is just ads now
- So disappointed with this collab
- Cringe 😬
- This is not good
- Honestly terrible advice
- It smells awful and burns my skin
- Another sponsored post, yawn. Such a sellout
- You're so fake
- Waste of money, don't buy it
- I tried it and it didn't work
- This is misleading, the results are filtered
- Not a fan of this new style
- Overpriced and cheap quality
- Stop posting the same stuff, it's getting annoying
- Ugh, clickbait again
- The audio is horrible
- Never buying from this brand again
- This recipe was a disaster, so bland
- Sad to see the channel go downhill
- I used to love your videos but now they're boring
- Scam. My order never arrived
- Rude reply to your followers, not cool
- Meh, nothing special
- This is not helpful
- I'm so annoyed they discontinued it
- The packaging arrived broken
- Really bad lighting in this one
- I hate how much you push these products
- Not impressed
- This hurts to watch, so cringe
- Gross 🤮
- Terrible customer service, still waiting for a refund
- Why is everything a paid promo now 🙄
- Do not recommend, it caused a rash
- Lies, you didn't even use it
- Yikes, this aged badly
- That's just stupid
- Underwhelming, expected more
- This isn't good for your skin at all
- I regret buying it
- The quality is poor and it fell apart
- Such a toxic comment section, I'm out
- This was a flop
- You lost me with this one
- It doesn't work, save your money
- Felt like a scam honestly
- So sad this happened 😢
- Awful taste in music
- I don't trust your reviews anymore
- Cheap knockoff, so disappointing
- This tutorial is confusing and too long
- Not worth it
- Seriously overrated
0 Where did you get that jacket?
0 What shade are you wearing?
0 Is this available in Canada?
0 Part 2 please
0 First
0 What camera do you use?
0 How long does shipping take?
0 Link in bio?
0 Which city is this?
0 Tagging my sister
0 What's the song called?
0 Is it vegan?
0 Posted at the same time as yesterday
0 Watching from Kenya
0 How many grams of sugar?
0 Does it come in a bigger size?
0 Is there a discount code?
0 What time is the live?
0 Can you do a video on hair oils next?
0 I have the same mug
0 Is this the new formula or the old one?
0 Is the giveaway still open?
0 What brand is the blender?
0 Anyone know the price?
0 This is the third video this week
0 Same routine as mine
0 When does it launch?
0 Who else is watching in 2026?
0 Can I use it with retinol?
0 What's your skin type?
0 Do you ship internationally?
0 Is this sponsored?
0 The store opens at ten
0 My mom uses this one
0 How tall are you?
0 Where is this beach?
0 Which filter is this?
0 I'm watching on my phone
0 What's in the bag?
0 Is that your dog?
`;
