"""Triage free text for possible disclosures of harm, so a safeguarding lead sees them quickly.

High recall first: a missed disclosure is far worse than a false flag, which a lead clears
in seconds. Rules, not a trained model, so every flag says which words and which rule made
it, and the rules generalise beyond the comments they were checked on.

The categories follow the statutory guidance a safeguarding lead works with (Working
Together to Safeguard Children; Keeping Children Safe in Education; the Care Act for
adults): suicide and self-harm, physical, emotional and sexual abuse, neglect, exploitation
(criminal, sexual, online, radicalisation), domestic abuse, restraint and seclusion,
child-to-parent violence, a carer at breaking point, going missing, and fear of going home.

How a comment is read:

1. It is normalised: lower case, apostrophes dropped ("don't" -> "dont", "he's" -> "hes"),
   spaces collapsed. Positions map back to the original, so a flag points at real words.
2. Everyday idioms that borrow alarming words ("it's suicide trying to park", "killing
   themselves laughing", "hit with a £300 bill", "neglected to send") are blanked out, and
   so are figurative uses by kind (``FIGURATIVE``): winning, losing and dying in games and
   sport, laughing, money and paperwork "hitting" a family, violence done to things.
3. Each category is a list of named rules: plain words ("self harm", "hits me") and the
   indirect ways families and young people say the same thing (a goodbye note, giving
   things away, "one of them sat on him", a "boyfriend" much older, new phones and cash,
   hiding the tablets, locking a bedroom door against a child).
4. When no rule matches, a model trained on labelled comments reads it too (see
   ``model_evidence``): it flags what it is at least 50% sure of (80% when an idiom was
   blanked out), naming the content words that weighed most.
5. A denial ("he has never self-harmed") is still flagged, marked ``negated`` so a lead can
   take it after the others.
"""

from __future__ import annotations

import json
import re
from dataclasses import dataclass
from functools import lru_cache
from pathlib import Path

CATEGORIES = (
    "suicide_self_harm", "physical_abuse", "emotional_abuse", "sexual_abuse", "neglect",
    "exploitation", "domestic_abuse", "restraint_seclusion", "child_to_parent_violence",
    "carer_breaking_point", "missing", "fear_of_going_home",
)

# Building blocks, in the normalised text (lower case, no apostrophes).
_W = r"(?:\w+ )"  # any one word and its space
_SELF = r"(?:my|him|her|them|your|our|it)sel(?:f|ves)"
_OBJ = (r"(?:me|him|her|them|us|my \w+|his \w+|her \w+|the kids|the children|"
        r"(?:our|their|your|the) (?:son|daughter|child|kids?|children|boy|girl|baby|youngest|eldest|little one|twins|grandson|granddaughter))")
_POSS = r"(?:my|his|her|their|our|your)"
_KID = (r"(?:son|daughter|child|kid|kids|boy|lad|girl|brother|sister|grandson|granddaughter|"
        r"nephew|niece|little one|youngest|eldest|oldest|teenager|\d+ ?(?:year|yr)s? old|he|she)")
_ADULT = (r"(?:dad|dads|father|daddy|mum|mums|mam|mom|mother|mummy|step ?dad|step ?mum|step ?father|"
          r"step ?mother|(?:mums|dads) (?:new )?(?:boyfriend|bf|girlfriend|gf|partner|friend)|partner|"
          r"boyfriend|bf|husband|wife|ex|uncle|auntie|aunty|aunt|grandad|grandpa|grandma|granny|nan|"
          r"nanna|gran|carer|foster (?:carer|dad|mum|parent)s?|teacher|ta|staff|worker|coach|driver|"
          r"escort|childminder|tutor|neighbour|the man|a man|the lady|a lady|someone|they|he|she)")
_HIT = (r"(?:hit|hits|hitting|smack\w*|slap\w*|punch\w*|kick\w*|beat|beats|beating|beaten|shak(?:e|es|ing|en)|"
        r"shook|chok(?:e|es|ed|ing)|strangl\w*|throttl\w*|burn(?:s|t|ed|ing)?|pinch\w*|squeez\w*|"
        r"grab\w*|drag\w*|push(?:es|ed|ing)?|shov\w*|headbutt\w*|bit|bites|biting|bitten|hurt\w*|"
        r"batter\w*|whack\w*|thump\w*|belt\w*|scratch\w*|twist\w*|yank\w*|threw|throws?|thrown|"
        r"attack\w*|assault\w*|goes for|went for|go for|gone for|pull\w* (?:my|his|her) hair)")
_MARKS = (r"(?:bruis\w*|finger ?(?:shaped )?marks|grip marks|hand ?print\w*|belt marks|black eyes?|"
          r"burn marks|cigarette (?:burns|ends|marks)|welts?|bite marks|marks (?:on|all over|round|around)|"
          r"red marks|swollen|stitches|split lip|fat lip)")
_PILLS = r"(?:tablets|pills|meds|medication|paracetamol|painkillers|sleeping pills|insulin)"

RULES: dict[str, tuple[tuple[str, str], ...]] = {
    "suicide_self_harm": (
        ("suicide", r"suicid\w*"),
        ("kill self", rf"kill(?:s|ed|ing)? {_SELF}"),
        ("end life", rf"(?:end|take|ending|taking|took|ended) {_POSS} (?:own )?li(?:fe|ves)"),
        ("ending it", r"(?:end|ending|ended) it(?: all)?\b(?! there)"),
        ("wants to die", r"(?:want|wants|wanted|wanting|wanna) (?:to )?(?:die|be dead)"),
        ("wish dead", r"wish(?:es|ed)? (?:i|he|she|they|we) (?:was|were|could be) dead"),
        ("never born", r"wish(?:es|ed)? (?:i|he|she|they)(?: had)? never (?:been )?born"),
        ("better off without", r"better off (?:dead|without (?:me|him|her|us|them)|if (?:i|he|she) (?:wasnt|werent|was gone|died))"),
        ("happier without", r"(?:happier|easier|better) (?:if|when) (?:i|he|she) (?:just )?(?:wasnt|werent|wasnt here|was gone|disappeared|died|slipped|didnt wake)"),
        ("not be here", r"(?:wont|will not|dont think ill|dont think i will|not going to|may not|might not) be (?:here|around|alive)(?! (?:for|at|on|in) (?:the|his|her|a) (?:meeting|review|appointment|session))"),
        ("if we will be here", r"(?:if|whether) (?:we|ill|i will|well|he|she)(?: all)? (?:be|still be) (?:here|alive)"),
        ("not wake up", r"(?:not|never|dont|didnt|wouldnt) (?:to )?wake up"),
        ("sleep forever", r"(?:sleep|go to sleep) (?:forever|and not)"),
        ("not want to live", r"(?:dont|doesnt|didnt|do not|does not) (?:want|wanna) (?:to )?(?:be alive|live|be here|exist|wake up|be around)"),
        ("no point", r"(?:no|dont see the|doesnt see the|whats the|see no) point (?:in |of )?(?:living|life|anything|going on|being here|carrying on|me being)"),
        ("no point anymore", r"(?:dont|doesnt) see the point(?: of anything| anymore| any more)"),
        ("cannot go on", r"(?:cant|cannot|can not) (?:go on|carry on)(?! (?:with|like|waiting|chasing|fighting|paying|having))"),
        ("nothing to live for", r"nothing to live for|not worth living|life isnt worth"),
        ("goodbye note", r"(?:goodbye|suicide|good bye) (?:note|letter|message|text|video)s?|(?:written|wrote|writing|left|found) (?:a )?(?:note|letter|letters|notes) (?:for|to|saying|in|on)"),
        ("saying goodbye", r"(?:said|saying|says|say) (?:goodbye|good bye|bye) to (?:the|his|her|my|everyone|everybody|all)"),
        ("giving things away", r"(?:giv(?:en|ing|es)|gave) (?:away|all)? ?(?:all )?(?:his|her|my|their) (?:things|stuff|belongings|teddies|teddys|toys|games|clothes|phone|xbox|ps5|switch|favourite \w+)(?: away| to)?|(?:giving|given|gave) (?:away )?(?:all )?(?:his|her|my) (?:stuff|things) away"),
        ("how many tablets", rf"how many {_PILLS}|how (?:much|many) (?:it takes|would it take)|(?:look\w*|search\w*|research\w*|googl\w*) (?:up )?(?:how|ways|train times|the bridge|methods)"),
        ("overdose", rf"overdos\w*|(?:took|take|taken|taking|swallowed) (?:a load of|loads of|all (?:of )?|too many|a handful of|a whole|a box of|a packet of|the rest of)? ?(?:{_POSS} )?(?:\w+ )?{_PILLS}|too many (?:of (?:his|her|my) )?{_PILLS}|(?:stockpil|sav|hoard|hid|hidden|hiding|collect)\w* (?:up )?(?:all )?(?:\w+ )?(?:{_POSS} |the )?{_PILLS}"),
        ("jumping", r"jump(?:ing|ed)? (?:off|in front|from)|wrong side of the (?:railings|barrier|fence)|(?:on|off) the (?:bridge|roof|multi ?storey|cliff)|level crossing|train tracks|railway line"),
        ("hanging", rf"hang(?:ed|ing|s)? {_SELF}|nooses?|ligature\w*|(?:rope|belt|cord|lanyard|scarf) (?:round|around) (?:his|her|my) (?:own )?neck"),
        ("self harm", r"self[- ]?harm\w*|self[- ]?injur\w*|\bsh\b(?= (?:again|scars|marks))"),
        ("cutting", rf"(?:cut|cuts|cutting|burn|burns|burning|burnt|hurt|hurts|hurting|harm|harms|harming|scratch\w*|bite|bites|biting|starv\w*|punish\w*|hit|hits|hitting|bang\w*) {_SELF}"),
        ("cuts on body", rf"(?:cuts?|scars?|scratches|marks|blood|burns?) (?:on|up|all over|under|down) {_POSS} (?:arms?|legs?|wrists?|thighs?|skin|tummy|stomach|body)|{_POSS} (?:arms|wrists|legs|thighs) (?:have|are|had|were) (?:cuts|scars|marks|cut)|(?:razor|blade|sharpener)s?\b|blood on (?:his|her|my|the) (?:sheets|bed|pillow|sleeve|tissues)"),
        ("long sleeves", r"long sleeves (?:even|in|all|every|so)|won\w* (?:take|let) (?:his|her|my) (?:jumper|hoodie|sleeves?|coat) (?:off|up)"),
        ("head banging", r"(?:till|until) (?:it|they) (?:bleeds?|bled)|bang\w* (?:his|her|my|their) head|head[- ]?bang\w*|hit\w* (?:his|her|my) head (?:on|against)"),
        ("skin picking", r"(?:scratch\w*|pick\w*|pull\w*) (?:at )?(?:his|her|my) (?:skin|hair|scabs)\b.{0,30}(?:bleed|blood|bald|patches|raw)|bald patches"),
        ("deserves pain", r"(?:deserve|deserves|deserved) (?:it|to (?:die|hurt|be hurt|suffer|be punished))|hate (?:my|him|her)self"),
        ("after death", r"what happens (?:to people )?(?:after|when) (?:you|they|people|we) die|(?:if|does) (?:it|dying) hurts? to die|soon it (?:wont|will not) matter|wont matter (?:soon|much longer|after)|be (?:gone|dead) (?:soon|by)"),
        ("a&e for self", r"(?:a ?& ?e|a and e|hospital|ambulance)\w* .{0,40}(?:(?:cos|because|for) (?:of )?(?:my|his|her) (?:arms|wrists|legs|cuts)|tablets|overdose)"),
        ("something stupid", r"(?:do|doing|done) something (?:stupid|silly|daft|drastic)|(?:frightened|scared|afraid|worried) (?:of )?what (?:i|he|she) (?:might|could|will|would) do"),
        ("driving into", r"driv\w* (?:(?:us|me|him|her|them|the car|my car|the kids)(?: (?:both|all))? )?(?:into|off|in front of) (?:a |the )?(?:wall|tree|lorry|bridge|river|road|sea|cliff)"),
        ("disappear", r"(?:want|wish|like) (?:to|i could) (?:disappear|vanish|not exist)|(?:everyone|everybody|they|you|the kids|my family) (?:would be|be) (?:happier|better)"),
        ("thinking of dying", r"think\w* (?:about|of) (?:dying|death|ending|not being here|killing)|talk\w* (?:about|of) (?:dying|death|killing|ending)"),
        ("wants it to stop", r"(?:want|wants|wanted) (?:it all|everything|the pain|it) to (?:stop|end)|(?:be|go) to (?:heaven|be with) (?:grandad|nan|grandma|grandpa|his \w+|her \w+)|join (?:grandad|nan|grandma|grandpa) in|(?:wont|will not) (?:be a|be) (?:problem|burden) (?:much longer|for long|anymore)|(?:a|such a) burden (?:to|on) (?:everyone|you|us|my|the)|(?:no|cant see a|doesnt see a|dont see a) future|when (?:im|i am) gone|(?:walk|walked|walking) into the (?:sea|river|road|traffic)|(?:knife|blade|scissors|lighter) (?:to|on|against) (?:his|her|my) (?:wrist|arm|skin|leg|throat)|(?:carv|scor)\\w* (?:into|on) (?:his|her|my)|plasters (?:on|all over) (?:his|her|my)|mak\\w* (?:him|her|my)self sick|(?:stopped|stop|wont|refuses to|not) eat\\w*(?: anything)? (?:for|since|at all)|(?:planning|planned|plan) (?:how|to end|to die|his death|her death)|(?:life insurance|who (?:would|will) have the kids)"),
    ),
    "physical_abuse": (
        ("hits a child", rf"{_ADULT} (?:{_W}){{0,3}}{_HIT} {_OBJ}"),
        ("was hit", rf"(?:being|been|gets|got|getting|was|were|is|am) (?:\w+ )?(?:hit|beaten|punched|kicked|slapped|smacked|strangled|shaken|pushed|shoved|thrown|burnt|burned|hurt|attacked|bitten|grabbed|dragged|choked|pinched|whipped|belted|battered)"),
        ("hit by", rf"(?:touched|hit|beaten|punched|kicked|slapped|smacked|bruised|burned|burnt|hurt|attacked|pushed|dragged|grabbed|shaken|shook) (?:\w+ )?(?:by|with) (?:his|her|my|their|a|the) (?!(?:ball|netball|football|wave|waves|bill|fine|letter|door)\b)\w+"),
        ("marks on a child", rf"{_MARKS}"),
        ("beat up", rf"beat(?:s|ing)? {_OBJ} up|slipper|the belt|wooden spoon|the cane"),
        ("shaken", r"shak(?:es|ing|en) (?:him|her|them|the baby)|shook (?:him|her|them|the baby)"),
        ("told to lie about injury", r"(?:say|said|tell|told) (?:\w+ ){0,3}(?:fell|walked into|it was (?:football|an accident|the cat|the dog))|(?:fell off|walked into) (?:the|a) (?:trampoline|door|bike)"),
        ("physical abuse", r"physical(?:ly)? (?:abus\w*|hurt\w*|harm\w*)|\babus(?:e|ed|es|ing|ive|er)\b"),
        ("hurting at home", r"(?:being|been|getting) hurt (?:at|by|in)|hurt(?:s|ing)? (?:him|her|me) (?:at|when|if)"),
        ("does something that hurts", r"(?:it|that) hurts? for (?:ages|days|hours)|(?:does|did|do) the \w+ thing|squeez\w* (?:his|her|my) (?:neck|arm|jaw|face|wrist)"),
        ("marks unexplained", r"(?:no one|nobody|noone|they|cant|couldnt) (?:can |could )?(?:tell|explain|say) (?:me )?how (?:he|she|it) got"),
        ("comes back different", r"comes? (?:back|home) (?:from \w+ )?(?:really )?(?:quiet|withdrawn|scared|different|upset)|wets? (?:the|his|her) bed again"),
        ("rough handling", r"(?:good |a )?hiding\\b(?! (?:under|in|behind|from|the|his|her|my|food|things|stuff|it))|leather(?:ed|ing)|clip (?:round|around) the ear|spank\\w*|wallop\\w*|whip\\w*|rough (?:with|handl\\w*)|manhandl\\w*|by (?:the|his|her|my) (?:hair|ear|neck|throat|collar)|up against the wall|scald\\w*|(?:bath|water) (?:too|so) hot|(?:broken|fractured) (?:arm|leg|wrist|rib|ribs|skull|collarbone|finger)(?! (?:playing|at football|on the trampoline))|black and blue|flinch\\w* when|limp\\w*|(?:said|says) it hurts when|(?:get|gets|got|getting) (?:a )?(?:beating|battering|hiding|smack|slap|punch|kicking)"),
        ("blood on clothes", r"blood (?:on|all over|down) (?:his|her|their|my) (?:shirt|top|t ?shirt|clothes|uniform|jumper|pants|knickers|underwear|pillow|sheets)"),
    ),
    "emotional_abuse": (
        ("name calling", rf"(?:calls?|called|calling) {_OBJ} (?:a |an |the )?(?:\w+ )?(?:retard\w*|stupid|thick|useless|worthless|waste|idiot|mistake|disgusting|fat|ugly|names|freak|pathetic|weirdo|spastic|bitch|slag|whore|lazy|evil|dumb|thick one)"),
        ("tells child worthless", r"(?:says|said|tells|told|saying|telling) (?:me|him|her|them|us)? ?(?:im|hes|shes|i am|he is|she is|were|youre|you are|they are|i was|he was|she was) (?:a |so |the )?(?:\w+ )?(?:stupid|useless|worthless|a waste|a mistake|mistake|disgusting|fat|ugly|evil|bad inside|bad|the reason|nothing|thick|pathetic|a burden)|(?:im|hes|shes) (?:a )?(?:mistake|burden|waste of space)"),
        ("unwanted", r"(?:wish|wishes|wished) (?:\w+ )?(?:had )?never had (?:me|him|her|them)|no one (?:will|would) (?:ever )?(?:want|love|like) (?:me|him|her|you)|nobody (?:wants|loves|will want) (?:me|him|her)|wish(?:es)? (?:he|she|i) had a normal"),
        ("threats not to tell", r"if (?:i|you|he|she) (?:tell|told|say|said) (?:\w+ )?(?:anyone|anybody|someone|mum|dad|school|the police|social)|(?:dont|not to|never) tell (?:anyone|anybody|mum|dad|your|my|school)|keep (?:it|this) (?:a )?secret|(?:our|a) (?:little )?secret|between (?:us|them|you and me|the two of us)"),
        ("threat of removal", r"(?:put|sent|send|taken) (?:me|him|her)? ?(?:in|to|into) (?:a home|care|a hospital|hospital forever|the cellar|the cupboard)|never see (?:my|his|her|your) \w+ again"),
        ("humiliation", r"humiliat\w*|in front of (?:everyone|the class|the whole|his friends|her friends)(?= .*(?:laugh|call|stupid|shout|scream))|laugh(?:s|ed|ing)? at (?:me|him|her)|screams? in (?:my|his|her) face|shout\w* at (?:me|him|her) (?:and|every|all)|(?:stand|stood) in (?:the|a) corner|eat in (?:a )?(?:different|separate|another) room|not allowed to eat|(?:can(?:t|not)|cant) have (?:food|dinner|tea)|has to (?:say sorry|apologise) .{0,30}(?:food|eat)|ruins everything"),
        ("control", r"(?:takes|took|keeps|kept) (?:my|his|her) (?:money|bank card|wages|benefits|phone|passport)|reads? (?:all |every )?(?:my|his|her) (?:messages|texts)|(?:allowed|let) to (?:talk|speak|see|go)|who (?:shes|hes|im|she is|he is|i am|i) (?:\w+ )?allowed|not allowed (?:to )?(?:see|out|go|talk|have)|unless (?:im|i am|hes|shes|he is|she is) good|coerci\w*|controll\w*"),
        ("emotional abuse", r"(?:emotional|psychological|verbal)(?:ly)? (?:abus\w*|bull\w*)"),
        ("fault blame", r"(?:it will be|its|it is|it was) (?:all )?(?:my|his|her) fault|(?:the )?reason (?:dad|mum|he|she) left"),
        ("cruelty", r"silent treatment|(?:wont|doesnt|didnt) (?:speak|talk) to (?:him|her|me) for (?:days|weeks)|(?:swears|screams|shouts) at (?:him|her|me|them)(?! (?:once|when i was late))|mak\\w* fun of (?:him|her|me)|mocks? (?:him|her|me)|threaten\\w* to (?:send|leave|throw|put|kick|hit|smack|give)|lock\\w* (?:him|her|me|them) out|(?:calls?|called) (?:him|her|me) (?:a )?baby|(?:treated|treats) (?:him|her|me) like (?:dirt|rubbish|a dog|an animal|a slave)|walking on eggshells"),
    ),
    "sexual_abuse": (
        ("sexual words", r"sexual(?:ly)? (?:abus\w*|assault\w*|touch\w*|exploit\w*|harass\w*|things|stuff)|\brap(?:e|ed|ing|ist)\b|molest\w*|indecen\w*|paedo\w*|pedo\w*|nonce"),
        ("touching", rf"touch(?:ed|es|ing)? (?:me|him|her|them|my|his|her)\b|inappropriate(?:ly)? (?:touch\w*|contact|messages|photos|pictures|behaviour)|private (?:parts|bits|area)|\bprivates\b|down there"),
        ("images", r"(?:nude|naked|sexual|explicit|rude|dirty)(?: \w+)? (?:pictures|pics|photos|images|videos|messages|selfies)|(?:pictures|pics|photos|videos) of (?:him|her|my|them)sel\w* (?:in|with|without)|in (?:his|her|my|their) (?:pants|underwear|knickers|bra)|(?:send|sent|sending) (?:him|her|me|them)? ?(?:nudes|pics|pictures|photos|videos)\b|sexting|what colour (?:her|his|my|your) (?:underwear|pants|knickers|bra)"),
        ("grooming", r"groom(?:ed|ing|er)\b|(?:says|said|tells|told) (?:i am|im|shes|hes|she is|he is|you are|youre) (?:his|her|their) (?:girlfriend|boyfriend|favourite|special|little)|(?:im|i am|shes|hes) (?:his|her) (?:special|favourite)|(?:says|said) i(?:m| am) special|(?:presents|sweets|money|gifts) (?:if|for) (?:i|she|he) (?:sit|sat|keep|do|send)|messages? (?:me|her|him) (?:late )?at night|messages with kisses|delete (?:them|the messages|the texts|our chats)|not to tell (?:my|her|his) (?:parents|mum|dad)"),
        ("on lap", r"sit (?:on|at) (?:his|her) (?:knee|lap)|(?:hand|hands) on (?:my|her|his) (?:leg|legs|thigh|knee|bum|chest|body)|sit (?:close|next to him)(?= .{0,30}(?:sweets|special|hand|touch|favourite))"),
        ("night visits", r"(?:comes?|coming|came|get(?:s|ting)?) (?:in|into) (?:my|her|his) (?:room|bed|bedroom)(?: at night| when)?|(?:in|into) (?:my|her|his) (?:bed|room|bedroom) at night|pretend to be asleep|with the door (?:shut|closed|locked)"),
        ("sexualised behaviour", r"(?:shouldnt|should not) know about|(?:showed|shows|show) (?:him|her|me|them) (?:his|her|their|things|videos|porn|pictures|stuff)|porn\w*|adult (?:magazines|videos|films|content|websites)|game in the bath|game (?:i|he|she) (?:dont|doesnt|didnt) like|feels? wrong|flinch\w*|(?:shower|wash|bath)\w* (?:\w+ ){0,2}(?:three|four|five|3|4|5|several) times a day|(?:coat|clothes) on in bed|personal care"),
        ("online contact", r"(?:grown|grown up|older|adult) (?:man|men|woman|lad|boy|guy) .{0,40}(?:messag|snap|chat|online|asking|send|picture|photo)|(?:snapchat|instagram|tiktok|whatsapp|discord|fortnite|roblox|xbox|online|the game) .{0,40}(?:asking|asked|wants|send|pictures|photos|meet|presents|money|kisses|secret)"),
        ("sexual contact", r"\\bsex\\b|sexual\\w*|pregnan\\w*|morning after pill|\\bsti\\b|love bites?|sleep(?:ing|s)? with (?:him|her|a man|an older|men)|in bed with (?:him|her|a man|his|her)|(?:special|secret) (?:cuddles|games?|time)|tickl\\w* (?:games?|her|him)(?= .{0,40}(?:dont like|doesnt like|stop|secret|wrong))|(?:undress\\w*|no clothes on|clothes off|take (?:my|her|his) clothes off)|(?:sore|bleeding|hurts?) (?:down below|between (?:her|his|my) legs)|(?:webcam|video call|facetime) (?:with )?(?:a |an |some |this )?(?:man|men|older|adult|stranger)|(?:bath|shower|bed) with (?:him|her|his|her|the|a) (?:uncle|coach|teacher|man|stepdad|step dad|brother|cousin)|sleepovers? at (?:the |his |her )?(?:coach|teacher|tutor|leader|mans|neighbours)"),
        ("filmed undressing", r"(?:film\w*|record\w*|photograph\w*|(?:took|takes|taking|take) (?:photos|pictures|pics|videos?) of) (?:me|him|her|them|us|my \w+|our \w+) "
         r"(?:while |when )?(?:getting changed|changing|undress\w*|naked|in the (?:shower|toilet|bath|changing rooms?))"),
    ),
    "neglect": (
        ("neglect", r"neglect\w*"),
        ("no food", r"(?:no|not enough|nothing to|never any) (?:food|eat|dinner|tea|breakfast)\b|(?:go|goes|going|went|always|all the time|is|am|im|are) (?:to bed |to school )?(?:hungry|starving)(?! (?:after|for|lol|haha))|(?:doesnt|dont|didnt|never|not) (?:get )?fe(?:e)?d\b|(?:doesnt|dont|didnt|never) feed|fridge (?:is|was|has been) empty|empty (?:fridge|cupboards)|make (?:my|our|his|her) own (?:tea|dinner|food|breakfast|meals)|crisps or cereal|hides food|eats so fast|steal\w* food|(?:\d+|four|five|six) stone at"),
        ("unsafe home", r"no (?:beds?|electric\w*|heating|hot water|gas|running water|bedding)\b|sleep (?:on|in) the floor|mould\w*|needles|rats|filthy|dirty (?:house|home|clothes|nappy)|(?:same|dirty|soiled|wet) (?:clothes|nappy|nappies|pad|pads|uniform)(?: all| for|\b)|soiled|red raw|nappy rash|pressure sores?|matted|head lice|nits|smell\w* of (?:wee|urine|poo)"),
        ("left alone", r"left (?:at home |in the house |in the car )?(?:on (?:his|her|their|my|our) own|alone|by (?:him|her)self)|home alone|(?:on (?:my|his|her|our) own) (?:till|until|at night|all (?:day|night|weekend)|overnight)|(?:gets?|got) left (?:on|in|alone)|left (?:him|her|me|them) (?:in|on|at|alone)|left in (?:bed|a|his|her|my|the) \w+ (?:all|for)|leav\w* (?:him|her|me|them) in (?:bed|a \w+|his \w+|her \w+|the \w+) (?:all|for)|(?:nobody|no one|noone) (?:changed|changes|takes|took|feeds|fed|checked|checks|comes|came) (?:me|him|her|my|his)?"),
        ("medical neglect", rf"(?:without|stopped giving (?:him|her) (?:his |her )?|not given|forgets? (?:to (?:give|collect) )?(?:his |her )?|withh[oe]ld\w*) (?:his |her |my )?{_PILLS}|(?:without|stopped giving) (?:him|her|me)? ?(?:his|her|my) (?:\w+ )?(?:inhaler|epipen|insulin|melatonin|meds|medication|medicine|tablets)|(?:never|not|nobody|hasnt|hasnt been) (?:takes?|taken|took) (?:him|her|me) to (?:the )?(?:dentist|doctor|gp|hospital|optician|dietician|appointments?)|missed (?:all )?(?:his|her) (?:hospital|medical) appointments|glasses (?:have been )?broken for"),
        ("young carer alone", r"(?:im|i am) \d+ and (?:looking after|caring for)|looking after my (?:little )?(?:sister|brother|siblings) (?:on my own|by myself|since|while)|mum (?:sleeps|is asleep|stays in bed) all day|(?:mum|dad|mums|dads) (?:is )?(?:drunk|passed out|off (?:her|his) face|on drugs)"),
        ("unkempt and unsupervised", r"unwashed|smells?\\b(?= .{0,20}(?:wee|urine|poo|dirty|unwashed|bad))|(?:rotten|decayed|black) teeth|tooth decay|underweight|(?:losing|lost) (?:so much )?weight(?= .{0,40}(?:mum|dad|home|food|eat))|fend for (?:him|her|them|my)sel\\w*|(?:no one|nobody|noone) (?:to look after|looks after|picks? (?:him|her|me) up|collect\\w* (?:him|her|me))|unsupervised|no supervision|(?:drunk|high|off (?:her|his) face|passed out|too drunk) (?:again|all|every|most|when|at)|(?:bins|the bin) for food|no coat (?:in|for) (?:winter|the cold)|shoes (?:that )?(?:dont|do not) fit|(?:toddler|baby) (?:left|alone|on (?:his|her) own)|locked out (?:of the house|all night|till)"),
        ("kept from medical care", r"(?:refused|refuses|refusing|wont|wouldnt|doesnt|didnt|never) (?:to )?(?:take|bring) (?:him|her|them|my \w+|our \w+) to "
         r"(?:(?:his|her|their|the|my|our) )?(?:\w+ )?(?:appointments?|hospital|doctors?|gp|dentist|surgery|operation|check ?ups?|clinic)"),
        ("medical care cancelled", r"(?:cancel\w*|missed|misses|missing) (?:his|her|their) (?:\w+ )?(?:appointments?|surgery|operation|check ?ups?) "
         r"(?:again|\w+ times|every time|for the \w+ time)|(?:thats|its|that is) the \w+ time (?:she|he|they) (?:cancelled|missed)"),
    ),
    "exploitation": (
        ("money and goods", r"new (?:phones?|trainers|clothes|shoes|jacket|coat|designer \w+)(?: and| with|,)|(?:roll|wad|bundle) of (?:cash|money|notes|twenties|tenners)|(?:cash|money|£ ?\d+) (?:in|stuffed in|hidden in) (?:his|her|my) (?:sock|socks|pocket|bag|shoe|room)|(?:wont|doesnt|didnt|cant|will not) (?:say|tell (?:us|me)|explain) where (?:it|they|the \w+|he got|she got)(?: \w+)? (?:came )?from|(?:money|cash) (?:from|and) (?:nowhere|no job)"),
        ("phones and calls", r"(?:second|another|other|extra|burner|new) phone|two phones|(?:calls|texts|messages|rings) (?:\w+ ){0,4}at (?:\d+ ?am|night|midnight)|going out at (?:\d+ ?am|night|midnight)"),
        ("older friends", r"older (?:boys?|lads?|men|man|guys?|friends?|girls?|people|kids)|(?:boyfriend|bf|girlfriend|friend)(?: who)?(?:s| is)? (?:\d\d|twenty|thirty|forty|much older|older|a grown)|\d\d (?:year old|yr old) (?:boyfriend|bf|man)|man of \d\d|(?:\d\d|twenty|thirty) (?:and|with) a car|(?:boyfriend|man|he) (?:\w+ ){0,4}(?:picks|picked|collects) (?:her|him) up|(?:a|the) (?:\d\d )?(?:year old )?(?:man|guy|lad) (?:she|he) (?:calls|says is) (?:her|his) (?:boyfriend|friend)|['\"]boyfriend['\"]|['\"]friend['\"]|['\"]uncle"),
        ("online contact", r"(?:met|meet|talking to|talks to|speaking to) (?:a |someone |this |some )?(?:man|men|guy|lad|person|people|someone)? ?online|(?:sending|sent|sends|buys?|bought|gives?|gave) (?:her|him|me) (?:presents|gifts|money|credit|things)|presents in the post|wants? to meet (?:up|her|him|me)"),
        ("criminal exploitation", r"county lines|deal\w* (?:drugs|weed)|sell\w* (?:drugs|weed|stuff)|\bweed\b|\bdrugs?\b|cannabis|\bcoke\b|(?:carry|carrying|hold|holding|take|taking|drop|dropping|deliver\w*|move|moving) (?:a |the |some )?(?:package|parcel|bag|stuff|things|drugs)\b|owe (?:him|them|her) (?:now|money)|(?:do|doing) (?:them|him) a (?:favour|job)|free (?:food|stuff|things|weed|vapes)|pays? (?:for )?my (?:phone|credit|top ?ups?)|(?:knife|knives|machete|weapon)\b|gang\w*|earn £?\d+"),
        ("travel far", r"(?:train|bus|coach) tickets? (?:to|from)|travel\w* to (?:\w+ ){0,3}(?:towns?|cities|london|on school days)|(?:found|ended up|picked up) in (?:another|a different) (?:town|city|county)|seaside towns"),
        ("threats and blackmail", r"(?:post|share|send) (?:my|her|his) (?:pics|pictures|photos|nudes|videos) (?:to|online)|unless (?:i|she|he) (?:send|pay|do)|sextort\w*|blackmail\w*|(?:hurt|kill|get) (?:my|his|her) (?:mum|family|sister|brother) if|hes done for|(?:said|says) (?:theyd|they would|theyll|hed|he would) hurt"),
        ("radicalisation", r"radical\w*|extremis\w*|behead\w*|terroris\w*|(?:fight|die|kill) for (?:them|the cause|allah|god|his country)|far[- ]right|nazi\w*|jihad\w*|prevent (?:referral|team|officer)"),
        ("exploitation", r"exploit(?:ed|ation|ing)"),
        ("money and lifts", r"designer (?:clothes|trainers|gear|bags?)|expensive (?:gifts|presents|trainers|clothes)|(?:gets|got|getting) in(?:to)? (?:cars|a car) with|(?:a car|cars) (?:we|i) (?:dont|didnt) (?:know|recognise)|dropped (?:off|home) by (?:a|an|older|some)|parties with (?:older|adults|men)|(?:drink|alcohol|vapes?|cigarettes) (?:from|given by|off) (?:older|men|a man|adults)|(?:use|using|used|borrow\\w*) (?:his|her|my) (?:bank account|account|card|flat|house)|money (?:into|through) (?:his|her|my) (?:account|bank)|money mule|cuckoo\\w*|trap house|onlyfans|(?:selling|sells|sold) (?:pictures|pics|photos|videos)|(?:new|older) (?:friends|people) (?:staying|living|hanging) (?:at|in) (?:his|her|my) (?:flat|house|place)"),
    ),
    "domestic_abuse": (
        ("domestic abuse", r"domestic (?:abuse|violence|incident)|\bdv\b|violen(?:ce|t) (?:at home|in the house|in our house)|coercive"),
        ("partner violence", rf"(?:dad|father|husband|partner|ex|boyfriend|bf|step ?dad|he|mums \w+) (?:{_W}){{0,2}}(?:hits?|beats?|hurts?|attacked|assaulted|strangled|threatens?|threatened|pinned|punched|kicked|slapped|choked|pushed|shoved) (?:me|mum|my mum|my wife|us|her|mummy)"),
        ("hands round neck", r"(?:hands?|arm) (?:\w+ ){0,2}(?:round|around|on) (?:mums|mummys|her|my) (?:neck|throat)|pinned (?:me|her|mum) (?:against|to|down)"),
        ("injuries on mum", r"(?:mum|mummy|she) (?:has|had|got) (?:lots of |a )?(?:bruises|black eye|cuts|marks)|sunglasses on (?:inside|indoors)|walked into (?:a|the) door"),
        ("police at home", r"police (?:have been|were|was|came|come|got|had to be|called|round)(?: \w+){0,3} (?:to (?:the|our) house|round|home|out|again|because|for|last time|\d+ times)|(?:rang|called|phoned) the police (?:again|on)|(?:neighbours?) (?:rang|called) the police"),
        ("parents fighting", r"(?:mum|dad|mummy|daddy|parents|mum and (?:dad|her \w+)|they) (?:\w+ ){0,3}(?:fight|fighting|fights|argue|arguing|rowing|screaming at each other)(?! for)|(?:shouts?|shouting) and (?:throws?|throwing|smash\w*)|(?:throws?|throwing|smash\w*) (?:stuff|things|plates)|there was a smash"),
        ("control of partner", r"(?:takes|took|keeps|controls) (?:my|her|mums) (?:wages|money|bank card|benefits|car keys|phone)|checks (?:the|my|her) (?:mileage|phone|messages|receipts)|(?:ask|asking) permission|not allowed to see (?:my|her) (?:friends|family|mum)|lets himself in|still has a key"),
        ("threats to kill", r"threaten\w* to (?:kill|hurt|take)|(?:said|says) (?:hed|he would|hell|he will) (?:kill|hurt)"),
        ("refuge and orders", r"refuge|non[- ]?molestation|injunction|restraining order|(?:out of|in|from) prison|(?:fled|flee|escaped|left) (?:him|my ex|my husband|my partner|the house)|put me in hospital|because of what (?:happened|he did)|(?:kids|children) (?:saw|see|heard|hear) (?:all of it|everything|it all)"),
        ("fear of partner", r"(?:scared|afraid|frightened|terrified) (?:of|for) (?:my|his|her|the) (?:partner|husband|ex|dad|father|kids|children|boyfriend)|go really quiet when|(?:tells|told) us to go upstairs"),
        ("abusive partner", r"(?:his|her|my) (?:dads?|husbands?|partners?|exs?|boyfriends?) temper|when (?:hes|he is|hes had|he has) (?:drunk|had a drink|been drinking)|punch\\w* (?:the|a) (?:wall|door)|holes? in the (?:wall|door)|tracks? my (?:phone|car|location)|tracker on|(?:wont|doesnt) let me (?:work|go out|see|have)|(?:harass\\w*|stalk\\w*)|marac|\\bidva\\b|womens aid|(?:my|our) ex (?:keeps|wont stop|still) (?:turning up|coming|messaging|threatening)"),
        ("violent relationship", r"(?:violent|abusive|controlling|coercive) (?:relationship|marriage|partner|husband|wife|ex|boyfriend|girlfriend)"),
    ),
    "restraint_seclusion": (
        ("restraint", r"restrain\w*|physical intervention|safe handling|team teach|(?:prone|supine) (?:restraint|hold|position)|\bholds?\b (?:him|her|me|them) (?:down|still|tight)|held (?:him|her|me|them) (?:down|still|tight|against|on)"),
        ("pinned", r"pinn?ed (?:him|her|me|them)|(?:face ?down|face first) (?:on|onto)|(?:sat|sit|sitting|lie|lay|lying|laid|kneel\w*|knelt) on (?:top of )?(?:you|him|her|me|them|his|her)\b|(?:on top of|on) (?:me|him|her) (?:until|till|on the)|(?:arms?|wrists?|hands?|legs?) (?:held|pinned|tied|strapped|twisted)|held (?:his|her|my) (?:arms?|wrists?|hands?|legs?|head)|behind (?:his|her|my) back|one (?:each|on each) (?:arm|side)"),
        ("tied", r"\bti(?:e|ed|es|ing)\b (?:him|her|me|them|my|his|to)|strap\w* (?:him|her|me|them|my|his|her|so tight|to)|harness\w*|(?:to|in) (?:the|a) chair so"),
        ("seclusion", r"seclu\w*|(?:calm|quiet|chill ?out|time ?out|safe|isolation|sensory|padded|nurture|reflection) (?:room|space|box|area)\b(?= .{0,80}(?:lock|shut|door|alone|hold|held|kept|keep|put|carry|sent|cupboard|hour|cry))|padded (?:walls|room)|(?:cupboard|box room)|(?:locked|lock|shut|kept|keep|put|sent|carried|carry) (?:\w+ ){0,2}(?:in|into|in to) (?:a|the|his|her|my) (?:room|cupboard|box|cell)|(?:door|room) (?:was |is )?(?:locked|held shut)|lock(?:ed)? (?:on the outside|the door on)|(?:holding|hold|held) the (?:door|handle)|no handle|(?:locked|shut) (?:in|on) (?:his|her|my) (?:own|room)"),
        ("medication to calm", r"(?:injection|injected|sedat\w*|jab) (?:\w+ ){0,5}(?:calm|wouldnt|when i|to make)|(?:gave|give|given) (?:me|him|her) (?:an )?injection"),
        ("force", r"(?:floor|bear|hand|arm|wrist|head) ?holds?\\b|(?:were|are|was) holding (?:him|her|me) |(?:dragged|carried|frogmarched|bundled|wrestled|manhandled) (?:\\w+ )?(?:out|him|her|me|into|to|down)|reasonable force|use of force|(?:used|use|using) force|(?:lap|seat) ?belt (?:so tight|to stop)|mittens|\\bprn\\b|chemical restraint|(?:shut|kept) (?:him|her|me) (?:in|out)|(?:sit|sat|sits|left) (?:in|on) (?:a|the) (?:room|corridor|cupboard) (?:on (?:his|her|my) own|alone|by (?:him|her|my)self)"),
        ("gagged", r"(?:tape\w*|gaffer|hands?|a sock|a cloth) (?:\w+ )?(?:over|across) (?:his|her|their|my) mouth|gagged (?:him|her|me|them)"),
    ),
    "child_to_parent_violence": (
        ("child hits parent", rf"(?:my|our) (?:\w+ )?{_KID} (?:{_W}){{0,2}}{_HIT} (?:me|us|my|his|her|their)"),
        ("child attacks", rf"{_KID} (?:\w+ ){{0,2}}(?:hits|punches|kicks|bites|headbutts|strangles|attacks|goes for|went for|punched|kicked|headbutted|strangled|attacked|broke|has broken|threw|throws) (?:me|us|my|his|her|our)"),
        ("i hurt family", r"i (?:hurt|hit|kick|punch|bite|bit|threw \w+ at|attack) my (?:mum|dad|little \w+|brother|sister|nan|carer|family)"),
        ("afraid of own child", rf"(?:scared|afraid|frightened|terrified) (?:of|for) (?:him|her|my (?:son|daughter|child|boy|girl)|what he|what she)|(?:im|i am|were|we are) scared (?:hell|shell|he will|she will) (?:kill|hurt)"),
        ("barricading", r"(?:lock|locks|locked|locking) (?:my|our|the) ?(?:bedroom |bathroom )?doors?|(?:put|fitted|got) a lock on|lock (?:myself|ourselves|us|me) in|doors? wedged|wedge (?:the|our) doors?|(?:car )?keys (?:and my phone )?under my pillow|sleep (?:in the car|with (?:the )?(?:car )?keys)|take (?:his|her|the) (?:sisters|brothers|siblings|kids) out to the car"),
        ("injuries from child", r"(?:bite marks|bruised|stitches|broken (?:nose|ribs|arm|finger|glasses)|black eye|hair pulled out|been bitten|swollen)|(?:broken|broke) my (?:nose|ribs|arm|finger|glasses|wrist)|door (?:off|slammed on)|through the window|what (?:my|his|her) (?:son|daughter) did to"),
        ("siblings at risk", r"(?:sisters?|brothers?|siblings) (?:hides?|is scared|are scared|are frightened|is frightened|stay at)|hides? in (?:the|her|his) (?:wardrobe|cupboard|room|bathroom) when|(?:kids|siblings|other two|other children) (?:stay|sleep) (?:at|with)"),
        ("violent child", r"(?:violent|aggressive|violence) (?:towards?|to) (?:me|us|his|her|my|the family|family)|(?:child|son|daughter) (?:on )?parent violence|(?:goes|went|gone) mental at (?:his|her|me)"),
        ("lashes out", r"lash\\w* out (?:at|on) (?:me|us|his|her|my)|(?:covered in|full of) bruises|(?:my|our) arms are (?:black|covered|bruised|scratched)|(?:threw|throws|thrown|throwing) (?:\\w+ ){0,2}at (?:me|my|us|his|her)|(?:bigger|stronger) than me now|(?:knife|knives|scissors) (?:at|to) (?:me|us|my|his|her)|(?:threatened|threatens) (?:me|us|his|her) with|violent meltdowns?|(?:hurts|hurt|hit|hits) (?:his|her) (?:little )?(?:brother|sister|siblings?)"),
        ("police about own child", r"(?:ring|rang|call|called|phone|phoned) (?:999|the police) (?:about|on) (?:my|our) (?:own )?(?:child|son|daughter|kid|boy|girl)"),
    ),
    "carer_breaking_point": (
        ("cannot cope", r"(?:cant|cannot|can not|couldnt|not) cop(?:e|ing)|(?:cant|cannot|can not) (?:do this|keep doing this|go on like this|take (?:it|any more|anymore)|keep (?:going|him|her|them|us) (?:safe)?)(?: any ?more)?|(?:not coping|breaking point|end of my tether|at the end of (?:my|our) rope|(?:im|i am|we are|were|family is) falling apart|burn(?:ed|t)? ?out|on my knees|nothing left to give|no more left)"),
        ("take the child", r"(?:take|have|put) (?:him|her|them) (?:into |in )?(?:care|away|for a bit|off me|off my hands)|(?:someone|somebody|you) (?:needs? to|has to|to) (?:take|have) (?:him|her|them)|(?:better off|be better) in care|(?:give|giving) (?:him|her|them) up|section 20|(?:cant|wont|will not) (?:have|take) (?:him|her|them) (?:home|back)|find (?:him|her|them) somewhere|(?:drop|dropping|leave|leaving) (?:him|her|them) (?:at|off at|with) (?:the|your|social)|wont open the door|(?:im|i am) done|bags? packed|walk(?:ing)? out (?:on (?:them|him|her|us))?|leave (?:them|him|her) (?:all|for good)"),
        ("may hurt child", r"(?:scared|afraid|frightened|worried) (?:that )?(?:ill|i will|im going to|i might|i could|of what i) (?:hurt|harm|lose it|snap|lash out|do)|(?:not|isnt) safe (?:to|for me to) (?:look after|be with|care for|be around)|(?:cant|cannot|can not) keep (?:him|her|them|us|myself|everyone) safe|grabbed (?:him|her) (?:so|too) hard|(?:might|could) hurt (?:him|her|them|myself)|(?:hurt|harm) (?:myself|him|her) or (?:him|her|myself)"),
        ("carer at risk", r"(?:cant|can not|cannot) face (?:going|it|another|them|him|her|tomorrow)|(?:so close to|about to) (?:doing|breaking|giving up|snapping)|(?:hidden|hid|hiding|locked away) (?:all )?(?:the |my )?(?:knives|tablets|pills|paracetamol|car keys|meds)|(?:bottle of \w+|wine|vodka) and (?:all )?(?:\w+ )?(?:tablets|pills)|(?:havent|not|haven't) slept (?:in|for) (?:\d+|two|three|four|five) (?:days|nights)|nobody is coming|no one is coming|(?:i dont|dont) know what (?:im doing|ill do|to do anymore)|(?:sat|sit|sitting) (?:in the car|on the stairs|on the drive)(?: \w+){0,6} (?:for an hour|for hours|because i cant|with a)"),
        ("desperate carer", r"wits end|(?:i|ive) give up|(?:want|wanted) to (?:run away|walk away|leave them)|(?:in|at) crisis|(?:im|i am|we are|were) (?:desperate|broken|drowning|at my limit|on the edge|close to the edge)|(?:lose|losing|lost) my temper with (?:him|her|them)|(?:shouted at and |)shook (?:him|her)|(?:cant|cannot) (?:do|take) (?:this|it|any more|anymore)"),
        ("handing the child over", r"(?:drop\w*|leav\w*|left|hand\w*) (?:him|her|them) (?:off |over )?(?:at|to) (?:(?:their|your|the) )?"
         r"(?:office|door|social (?:services|care|work(?:ers?)?)|police station|council)|hand (?:him|her|them) over(?= (?:to|tonight|today|for good)\b|$)"),
    ),
    "missing": (
        ("went missing", r"(?:he|she|they|son|daughter|child|kid|boy|girl|brother|sister|hes|shes|theyve|him|her|\d+ ?(?:year|yr)s? old)(?: \w+){0,3} (?:go|goes|going|went|gone|is|was|has been|had been|keeps?(?: going)?) missing(?! (?:\w+ ){0,2}(?:lessons|class|out|appointments?|the bus|his \w+|her \w+))|missing (?:from home|person|overnight|for \d+|all night)|reported (?:her|him|them|it)? ?missing|police (?:found|brought|returned|picked up|had to find)|(?:found|picked up) (?:him|her) (?:at|in|on|wandering)|found wandering"),
        ("ran away", r"(?:ran|run|runs|running) (?:away|off)(?! with)|abscond\w*|bolt\w* (?:out|from|off)"),
        ("not home", r"(?:didnt|doesnt|hasnt|havent|not|never|wont) (?:come|came|been|coming) (?:back )?home|not been (?:back )?home|(?:no idea|dont know|didnt know|nobody knew|no one knew|noone knew|no one knows|nobody knows|not knowing) where (?:he|she|they|my \w+)(?: is| are| was| were| sleeps| goes| went| go| had been|d been| has been|s been)?|lost track of|(?:wasnt|werent|not) in (?:his|her|their) (?:room|bed)|(?:bed|room) (?:hadnt|hasnt|wasnt) been slept in|back at \d+ ?(?:am|in the morning)|(?:come|comes|came|coming) back (?:at|till|until|in the) (?:\d|morning|lunch|dawn)|turns? up for|(?:stay|stays|stayed|staying) out (?:all night|late|till|until)|dont come back till|sleep (?:on|at) (?:my |his |her )?(?:mates|friends)|sofa ?surf\w*|out (?:of|the) (?:the )?window at night|climbs? out|walk and walk|different one each night|(?:2|two|3|three) days? (?:missing|gone|away)|(?:gone|away) for (?:\d+|two|three) (?:days|nights)"),
        ("disappears", r"(?:disappear\\w*|vanish\\w*) (?:for|overnight|again|at night|all)|(?:took off|legged it|escaped|gets out of the house|got out of the house)(?! (?:work|school))|police (?:were )?(?:looking|searching) for (?:him|her)|off the radar|(?:out|gone|away) all night|(?:comes|came|come) home at (?:\\d|three|four|two)|(?:no idea|dont know) where (?:he|she) goes|(?:doesnt|does not|wont|dont) understand danger|no sense of danger|found (?:\\w+ ){0,3}at (?:the|a) (?:\\w+ )?(?:station|road|beach|river|park)(?: \\w+){0,3} at night"),
        ("gone overnight", r"(?:didnt|did not|havent|hadnt|have not|had not|never) (?:see|seen|hear from|heard from) (?:him|her|them) "
         r"(?:(?:till|until) (?:the next (?:day|morning)|\w+day|the morning|morning|\d+ ?am)|for (?:\d+|two|three|four|five|several) (?:days|nights)|all night)"),
        ("out all night", r"out (?:till|until) (?:gone )?\d+ ?(?:am|in the morning)|phones? (?:off|switched off)(?= .{0,30}(?:no idea|dont know|didnt know) where)"),
    ),
    "fear_of_going_home": (
        ("feels unsafe", r"(?:not|doesnt feel|dont feel|didnt feel|does not feel|never feels?|isnt|wasnt|arent|werent|feel) (?:\w+ )?(?:safe|unsafe)\b(?! (?:to (?:drive|park|travel|walk|use))|(?: \w+){0,2} (?:wheelchair|building|lift|equipment|road|crossing|playground|car park))|\bunsafe\b(?! (?:building|lift|equipment|road|crossing|playground|car park|wheelchair|practice))|in danger(?! of)|(?:at risk|in danger) (?:at home|from|of harm|of being hurt)"),
        ("home the worst", r"(?:home|being at home|going home|weekends? at home|(?:the )?weekends?|the holidays) (?:is|are) the (?:worst|hardest|scariest) (?:part|bit|time|thing)s?\b|(?:dread|dreads|dreading|hate|hates) (?:going|coming|getting) home|"
                           r"(?:get|go|got|going) home (?:as )?late(?:r)? as (?:i|he|she) can"),
        ("not want to go home", r"(?:dont|doesnt|didnt|do not|does not|never) (?:want|wanna|like) (?:to )?(?:go|going|be|being|get|getting) (?:back )?(?:home|there|back)|(?:scared|afraid|frightened|terrified|worried) (?:to go|of going|about going) (?:back )?home|dont make (?:me|him|her) go|(?:rather|wish i could|like to|want to) (?:stay|live|sleep) (?:at|in) (?:school|yours|the library|club|care|the unit)|live at school|stay at yours|(?:begs?|begged|begging|pleads?) (?:not )?to (?:stay|go)|(?:cries|crying|screams|shaking) (?:\w+ ){0,6}(?:when|before) (?:we|she|he|i) (?:have to )?go"),
        ("fear of person at home", rf"(?:scared|afraid|frightened|terrified|petrified) (?:of|when) (?:my|his|her|our|mummys|mums|dads) (?:\w+ )?(?:dad|mum|step ?dad|step ?mum|brother|sister|uncle|nan|grandad|partner|boyfriend|friend|carer)|(?:when|because|cos) (?:hes|shes|he is|she is|dad is|mums \w+ is) (?:home|back|in)(?! from)|(?:before|when) (?:he|she|they|dad|mum) (?:gets?|comes?) (?:back|home|in)|(?:his|her|their) (?:van|car) is there|(?:round|around) the block"),
        ("body fear", r"(?:bad|sore|funny) (?:tummy|stomach|belly|head)(?: \w+){0,4} (?:because|when|before|on|cos)|pains? (?:in my \w+ )?on the way home|cant sleep (?:when im |at )?(?:at )?home|because of the noises|so im not there|(?:in|into) the cellar|(?:hides?|hid|hiding) (?:under|in|behind) (?:the|a|his|her) \w+ (?:at the end of|when|before)"),
        ("dread of home", r"(?:dreads?|dreading|terrified of|scared of|hates?) (?:the )?(?:weekends?|holidays|contact|going to (?:his|her|my) (?:dads|mums)|going back|home time)|(?:refuses|refused|wont) to go to (?:his|her|my) (?:dads|mums|nans)|(?:doesnt|dont|didnt|does not) want to (?:see|be with|go to) (?:my|his|her|mummys|mums|dads|mummy|daddy|the) (?:\\w+ )?(?:friend|boyfriend|partner|dad|mum|dads|mums|stepdad|uncle|house)|(?:begged|begs|asked|asks) (?:me )?(?:not )?to (?:stay|send)|(?:get|gets|getting) (?:in trouble|battered|a hiding|hurt|it) when (?:i|he|she) (?:get|gets) home|(?:wish|wishes) (?:i|he|she) (?:lived|could live) (?:somewhere else|with (?:you|someone else|nan))"),
        ("staying away from home", r"(?:so|then) (?:i|he|she|we) (?:can|could) stay (?:at school|at the club|out|here|there|later) (?:longer|later|all night)|"
         r"(?:so|then) (?:i|he|she|we) (?:dont|didnt|wouldnt|doesnt|would not|did not) (?:have|need) to go (?:back|home)"),
    ),
}

# Harms a leaflet, a lesson or a policy can be about.
_TOPIC = (r"(?:abuse|grooming|sexting|knife crime|knives|county lines|drugs|vaping|restraint|self ?harm|suicide|exploitation|"
          r"safeguarding|bullying|domestic abuse|domestic violence|consent|online safety|e-?safety|radicalisation|gangs|weapons)")

# Everyday idioms that borrow alarming words. Blanked out before the rules run.
IDIOMS = (
    r"(?:its|it is|it was|thats|that is|absolute|total|pure|complete) suicide(?! note)",
    r"suicide (?:trying|to (?:try|get|park|drive|go)|parking|getting)",
    r"kill(?:ing|ed)? (?:my|them|him|her|our)sel(?:f|ves) (?:laughing|with laughter)",
    r"(?:is|are|was|its|it is|theyre|this|that|these|cuts|it|timetable|fight|process|paperwork) (?:\w+ )?killing (?:me|us|my \w+)(?! (?:literally|for real))",
    r"kill(?:s|ed)? (?:me|us) off",
    r"(?:could|would|will|id|wed|ill) (?:have )?(?:kill(?:ed)?|murder(?:ed)?) for",
    r"(?:could|would|will|id|ill) (?:happily )?(?:murder|strangle|kill) (?:a |for a |whoever|the person|someone|the \w+ who)",
    r"(?:mum|dad|mam|they|she|he)(?: will| would|ll|d) (?:kill|murder) me(?! (?:for real|literally))",
    r"(?:im|i am|im going|i was) (?:going to|gonna) kill (?:him|her|them)(?= .{0,60}(?:lol|haha|again|left|forgot))",
    r"dying (?:to|for)|to die for|die (?:of|from) (?:embarrassment|shame|boredom|laughing)|die every time|(?:i|we) (?:nearly|almost) died(?! (?:when he|when she))|(?:literally|actually) dead",
    r"(?:bored|scared|worried|sick|frightened|tired) to death|worried sick|(?:heart attack|nervous breakdown)(?= .{0,40}(?:waiting|when|results|film|lol|scary))|(?:nearly|almost) (?:had|have) a heart attack",
    r"nearly killed (?:me|us)|(?:almost|nearly|practically) killed (?:me|us)|(?:killer|killers)\b|a (?:murder|nightmare|killer) to",
    r"\btortur\w*|\bhell\b|nightmare|war zone|been through (?:a|the) war|daylight robbery|\bcriminal\b(?! (?:exploitation|gang|record))",
    r"hit (?:with|by) (?:a|an|the)? ?(?:£|\d|bill|fine|charge|letter|invoice|cut|delay|decision|reduction|wall|netball|football|ball)\w*",
    r"(?:a|big|huge|real) hit with|hit (?:a|the) (?:brick )?wall|hit and miss|hit the (?:roof|ceiling|nail|ground|road|headlines|target)|hit it off|hits? home|hit (?:his|her|my) targets?",
    r"(?:bang|banging) (?:my|our) heads? (?:against|on) (?:a|the) (?:brick )?wall",
    r"cut(?:s|ting)? (?:corners|off|back|short|funding|budgets?|to (?:short breaks|services|funding))|funding cuts?|(?:got|been|were|was|have been) cut(?! (?:himself|herself|myself))|budget cuts?|cuts to",
    r"at risk of (?:exclusion|being excluded|losing|missing|falling|failing|not)",
    r"safe ?guarding (?:team|lead|policy|training|referral|course|awareness)|self ?harm awareness|(?:abuse|safeguarding) (?:section|training|awareness|course|module)",
    r"(?:council|la|authority|panel|school|company|team|they|taxi company|services?|budget|funding|building|it|who)(?: has| have| was| were| had)? (?:\w+ )?neglect(?:ed|s|ing)? (?:to|the|their|its|our|of)\b",
    r"neglect of (?:duty|the building|the site|paperwork|process)|neglected (?:building|area|site|service)",
    r"abuse of (?:the )?(?:process|trust|power|public money|the system|position|procedure|complaints|office|funds?|discretion)",
    r"harm reduction|no harm (?:done|in)|(?:no one|nobody|noone) (?:was|got|were) (?:harmed|hurt)|did (?:more )?harm (?:to|than)|done (?:a lot of |more )?harm to (?:trust|relationships|our|the)|harm to (?:trust|relationships)",
    r"(?:showed|shows|show|exercised|exercise|great|real|a lot of|lots of|some|admirable|remarkable|commendable) restraint|restraint (?:to be fair|when)|never use restraint",
    r"(?:missing|misses|missed) (?:his|her|my|their|our) (?:old |best |favourite )?(?:\w+ )?(?:ta|teacher|friends?|dad|mum|nan|grandad|brother|sister|dog|cat|school|mates?|bestie)",
    r"missing (?:in|out|a book|the bus|lessons|school|class|work|deadlines?)|goes missing in|(?:went|gone|go|goes) missing (?:from (?:the )?(?:plans?|list|letter|report|paperwork|pack|form|classroom))",
    r"(?:lose|lost|losing) (?:my|his|her|their) (?:head|mind|marbles|rag|temper|cool)|lost it (?:when|at|with)|forget (?:his|her|my) head|head (?:nearly )?explod\w*|(?:doing|does|did) my head in|drowning in|(?:pain|stab\w*) in the (?:neck|back)|slap in the face|punch in the gut|left (?:us )?for dead|hung out to dry",
    r"(?:absolutely |completely )?(?:slaughtered|hammered|battered|destroyed|crushed|thrashed|murdered) (?:at|in|by (?:the )?(?:waves|wind|weather|rain)|\d)|(?:beaten|beat us|lost) \d+ ?[-–]? ?\d+|battered by the (?:waves|wind|rain)",
    r"(?:goes|went|gone|going) (?:mental|ballistic|mad|nuts|crazy)(?= (?:if|when|about|over|for|with happiness|she was so|he was so))|went ballistic when (?:she|he) found out|so happy",
    r"(?:put|putting|puts) the boot in|threw the book|throw(?:n|ing)? the book|tore (?:\w+ ){0,3}apart|shot in the dark|shoot the messenger|blew up at|bombarding|brutal|deadly|sick\b|gutted|in bits|knackered|chasing (?:my|our) tail|screamed the place down|swallow me up|choked on (?:my|his|her) (?:chips|food|drink|tea|coffee)|cowboys",
    r"held (?:him|her) back (?:a|another) year|(?:ran|run|runs) (?:away|off) with (?:the|a|first)|ran away to the (?:seaside|coast|beach|country)|(?:pushes|pushed|push|pushing) (?:me|him|her|us) (?:hard|to do|forward|on)",
    r"fell out with|(?:went|gone) through (?:a|the) (?:war|mill|wringer)|(?:ill|i will|i would|id|im going to|gonna) scream|(?:want|wanted|make|made) (?:me )?(?:to )?(?:want to )?(?:scream|cry)",
    r"(?:im |i am |am |so |absolutely |always )?(?:starving|starved) (?:after|when|by|lol|haha)|starving\b(?= .{0,20}lol)",
    r"(?:killing|killed|kill) (?:it|the exam|the test)|smashed (?:my|the|it)\b|(?:nailed|smashing) it",
    r"(?:he|she|its|hes|shes) not violent|treat (?:him|her|them) like (?:a )?criminals?",
    r"(?:no one|nobody) (?:was|got) (?:harmed|hurt|injured)",
    # 1.4: exhaustion and exasperation said with violent words, and harm words applied to how
    # an institution behaves ("a kind of neglect if you ask me").
    r"(?:my |our )?head (?:is|was|s|feels) (?:absolutely |completely )?(?:battered|fried|mashed|scrambled|done in)",
    r"thrown in at the deep end|(?:beaten|ground|worn) down by (?:the|this|their) (?:system|process|council|la|fight|paperwork)",
    r"(?:a kind of|a sort of|a form of|basically|bordering on|tantamount to) (?:neglect|abuse)\b|(?:abusive|neglectful|neglect)(?= (?:in my opinion|if you ask me|imo)\b)",
    r"(?:could|couldve|could have|could of)(?: have)? (?:strangled|throttled|killed|murdered) (?:the|that|those|whoever) "
    r"(?:receptionist|caseworker|council|teacher|driver|woman|man|lady|bloke|person|lot|officer|manager)",
    r"(?:a |like a )?(?:bear|lion) with a sore head|climb(?:ing|s|ed)? (?:the|up the) walls",
    # An activity that "is suicide", aching limbs "killing me", a new enthusiasm as a "bug",
    # equipment and policies named after restraint, and information about a harm.
    r"(?<=ing )(?:\w+ ){0,8}is (?:pure |absolute |literally |actual )?suicide(?! note)",
    r"(?:arms|legs|back|feet|knees|hands|shoulders|wrists) (?:are|is) (?:absolutely |literally )?killing me",
    r"(?:bitten|bit|caught) (?:by )?the (?:\w+ )?bug",
    r"restraint (?:straps?|belts?|harness\w*|system)|(?:no|a no|zero|reduce|reducing|reduction in) restraint (?:policy|approach)",
    r"(?:leaflets?|talks?|sessions?|assembly|assemblies|lessons?|workshops?|posters?|information|info|course) (?:about|on) (?:\w+ ){0,5}?"
    r"(?:abuse|self ?harm|suicide)(?= (?:was|were|is|and|at|in)\b)",
    # 1.5: teaching, leaflets and campaigns about a harm, and a harm named in a policy's or a
    # course's title: what families learnt about, not what happened to them.
    rf"(?:leaflets?|polic(?:y|ies)|sessions?|course|modules?|talks?|assembl(?:y|ies)|lessons?|workshops?|campaign|posters?|training|"
    rf"awareness|information|info|videos?|presentation|project|programme) (?:\w+ ){{0,4}}?(?:about|on|around|covering|against|called) "
    rf"(?:\w+ ){{0,3}}?{_TOPIC}(?:(?: and|,| or) (?:\w+ )?{_TOPIC})*",
    rf"{_TOPIC} (?:\w+ )?(?:polic(?:y|ies)|leaflets?|sessions?|course|module|training|awareness|campaign|reduction|prevention|talks?|"
    rf"workshops?|lessons?|assembly|posters?)",
    r"exploit(?:ed|s|ing)? (?:a |the |every |this |that |any )?(?:\w+ )?(?:loophole|gap|weakness|opportunity|situation|technicality)",
    r"like (?:\w+ ){0,3}(?:prison|jail|fort knox|alcatraz)\b",
    r"(?:eats?|ate|eating) like (?:hes|shes|he has|she has|theyve|they have|he had|she had) never (?:been fed|eaten|seen food)",
    r"(?:at|reached|reaching|past) (?:breaking point|the end of (?:my|our) tether|(?:my|our) wits end) (?:with|over|about) (?:the|this|their|our) "
    r"(?:school|council|la|local authority|system|process|paperwork|appeal|tribunal|ehcp|uniform|transport|taxi|nhs|camhs|waiting list)",
    r"(?:its|it is|thats|that is) (?:\w+ )?(?:self ?harm|suicide|torture)\b(?= .{0,40}\b(?:joke|joking|kidding|lol|haha)\b)",
)

# Figurative use by kind, not by sentence: words of winning, losing and dying in games and
# sport, of laughing, of money and paperwork hitting a family, and violence done to things
# rather than people. Only the borrowed word is blanked; the rest of the comment is still read.
_GAMES = (r"(?:fifa|fortnite|minecraft|roblox|mario ?kart|call of duty|cod|apex|overwatch|valorant|pokemon|"
          r"smash bros|among us|gta|xbox|ps\d|playstation|switch|nintendo|the game|his game|her game|a game|games|"
          r"grand theft auto|(?:the|a|his|her) (?:\w+ ){0,3}?race|the level|levels?|chess|draughts|uno|cards|monopoly|scrabble|dodgeball|football|footy|rugby|cricket|"
          r"netball|tennis|hockey|basketball|rounders|the match|a match|matches|the final|the cup|the league|the quiz|"
          r"a quiz|quiz|tournament|sports day|five a side|5 a side|penalties|the race|laser ?quest|laser tag|paintball\w*|nerf)")
_GAME_VERBS = (r"(?:beat|beats|beating|beaten|thrash\w*|hammer\w*|batter\w*|destroy\w*|slaughter\w*|murder\w*|"
               r"kill|kills|killed|killing|smash\w*|annihilat\w*|wreck\w*|crush\w*|obliterat\w*|demolish\w*|"
               r"massacr\w*|die|dies|died|dying|dead|shot|shoots?|shooting|starv\w*|stabbed|bombed|owned|mugged off)")
_MONEY = (r"(?:bills?|fines?|charges?|fees?|invoices?|costs?|price|prices|rise|hike|cuts?|letters?|news|decision|"
          r"delays?|reductions?|tax|rent|debt|demand|bus|truck|lorry|train|cold|virus|bug|flu|covid)")
_THINGS = (r"(?:homework|work|food|dinner|breakfast|lunch|tea|plate|pizza|cake|chips|sweets|book|books|pencil|"
           r"reading|spelling|maths|test|tests|exam|exams|target|targets|record|score|level|task|puzzle|lego|"
           r"eggs|poster|playdough|challenge|course|assessment|interview|audition|competition)")
FIGURATIVE = (
    rf"{_GAME_VERBS}(?=(?: \w+){{0,3}} (?:at|on|in|playing) {_GAMES}\b)",
    rf"(?:at|on|in|playing) {_GAMES}(?: \w+){{0,4}} {_GAME_VERBS}",
    rf"{_GAME_VERBS}(?=(?: \w+){{0,4}} \d+ ?[-–] ?\d+\b)",
    r"(?:(?:us|me|them|everyone|everybody|him|her|the class|the room) in stitches|(?:die|died|dying|dies) (?:of |from |with )?laugh\w*|"
    r"kills? (?:me|us)(?=(?:\W+\w+){0,6}\W+(?:laugh\w*|funny|hilarious|lol|haha|giggl\w*)))",
    rf"(?:hit|hits|hitting|slapped|stung|whacked|clobbered) (?:\w+ )?(?:with|by) (?:a |an |the |another |this |that |these |those |our |my )?(?:\w+ ){{0,2}}{_MONEY}\b",
    r"(?:hit|knocked|knock) (?:\w+ )?for six|thrown under the bus|(?:hit|hits) (?:our|my|the|their|his|her) (?:pocket|purse|wallet|budget|finances)|"
    r"(?:hit|hits) (?:us|them|families|the school|schools|parents|everyone) (?:really |so |very )?hard",
    rf"(?:attack\w*|smash\w*|kill\w*|destroy\w*|murder\w*|nail\w*|crush\w*|demolish\w*|beat|beaten|ace[ds]?) (?:his|her|my|the|their|that|this|a|an) (?:\w+ )?{_THINGS}\b",
    r"stab\w* (?:\w+ )?in the back|(?:back|front)stab\w*",
    r"(?:punch\w*|hit|hits|hitting|kick\w*|thump\w*|whack\w*|batter\w*) (?:his|her|my|the|a|their) (?:pillow|cushion|punch ?bag|punching bag|bean ?bag|mattress|teddy|sofa)",
    r"(?:threw|throw|throws|thrown|throwing) (?:us|me|them|him|her|you) (?:a|an) (?:\w+ )?(?:lifeline|bone|curve ?ball|party|surprise|look|glance|wobbler|strop|tantrum)",
    r"abuse of (?:the |our |a )?(?:\w+ ){0,2}(?:process|procedure|policy|system|panel|power|powers|position|trust|funds?|money|resources|"
    r"timescales?|deadlines?|rules|law|guidance|appeals?)",
    # Harm the speaker does to their own effort or patience, not to a person: holding
    # themselves back ("we restrain ourselves from ringing"), a head "lacking restraint" in
    # spending, "killing myself trying to fit it all in", "these forms are killing me".
    r"restrain(?:ed|s|ing)? (?:my|our|your|them|him|her)sel(?:f|ves)|(?:lack of|no|financial|spending|budget|pay) restraint (?:in|on|over|with|when)",
    r"kill(?:s|ed|ing)? (?:my|our)sel(?:f|ves)(?= (?:trying|to (?:get|keep|make|fit|pay|finish)|working|running|juggling|chasing|getting)\b)",
    r"(?:forms?|paperwork|appointments|emails?|meetings?|shifts?|the wait|waiting lists?|traffic|the school run|commute|the heat|deadlines?|"
    r"phone calls|calls|admin|the queue|queues?|the drive) (?:is|are|were|was) (?:\w+ )?killing (?:me|us)",
    r"shot up\b|(?:on fire|a demon|an animal|a beast|a monster|a machine|a killer) (?:at|on|in|with) (?:\w+ )?(?:\w+)|choking on (?:my|his|her|their) (?:drink|food|tea|coffee|dinner)|"
    r"(?:zombie|vampire|ghost|skeleton|witch|monster)s? (?:for|at) (?:halloween|world book day|the party|fancy dress)",
)

# A denial just before a match: "has never self-harmed", "no bruises".
_NEGATOR = re.compile(r"\b(?:not|never|no|hasnt|hadnt|isnt|wasnt|doesnt|didnt|dont|no longer|nothing|none)\b(?: \w+){0,3} ?$")

# One pattern per category, each rule a named group, so a comment is read once per category.
# Every rule starts at the start of a word: that is checked once, before the rules are tried,
# so the many places inside words are passed over at the cost of one test each.
_RULES = {
    category: (re.compile(r"(?<![\w£])(?:" + "|".join(rf"(?P<r{i}>{pattern})(?!\w)" for i, (_, pattern) in enumerate(rules)) + ")"),
               tuple(name for name, _ in rules))
    for category, rules in RULES.items()
}
_IDIOM_RE = re.compile(r"(?<!\w)(?:" + "|".join(rf"(?:{p})(?!\w)" for p in IDIOMS + FIGURATIVE) + ")")
_APOSTROPHES = "'’‘`´"


@dataclass(frozen=True)
class Evidence:
    """Why a comment was flagged: the rule, its category and where its words are in the
    original text (``start``/``end``), so they can be shown redacted to people who are not
    safeguarding leads."""

    category: str
    rule: str
    words: str
    start: int
    end: int
    negated: bool = False


@dataclass(frozen=True)
class SafeguardingResult:
    """``negated`` is True when every match was denied ("has never self-harmed"): still
    flagged, but a reviewer can take it after the others. ``matches`` are the original
    words: show them only to a safeguarding lead, or redact them first (see
    ``feedback.analysis.pipeline``)."""

    flagged: bool
    categories: tuple[str, ...]
    matches: tuple[str, ...]
    negated: bool = False
    evidence: tuple[Evidence, ...] = ()


def normalise(text: str) -> tuple[str, list[int]]:
    """Lower case, apostrophes dropped, runs of space as one; and for each character of the
    result, its index in ``text``."""
    out: list[str] = []
    where: list[int] = []
    space = True
    for index, char in enumerate(text):
        if char in _APOSTROPHES:
            continue
        if char.isspace():
            if space:
                continue
            char, space = " ", True
        else:
            space = False
        lower = char.lower()
        if len(lower) != 1:
            lower = char
        out.append(lower)
        where.append(index)
    return "".join(out), where


def assess_safeguarding(text: str) -> SafeguardingResult:
    """Flag text that may disclose a risk of harm to a child, young person or adult."""
    return assess_many([text])[0]


def assess_many(texts) -> list[SafeguardingResult]:
    """``assess_safeguarding`` for many texts; the model reads those no rule flagged in one batch."""
    read = [_rules(text or "") for text in texts]
    unflagged = [i for i, (_, plain, _, _, evidence) in enumerate(read) if not evidence and plain.strip()]
    for i, found in zip(unflagged, _model_evidence_many([read[i] for i in unflagged])):
        if found is not None:
            read[i][4].append(found)
    return [_result(evidence) for *_, evidence in read]


def _rules(text: str):
    text = text or ""
    plain, where = normalise(text)
    masked = _IDIOM_RE.sub(lambda m: " " * len(m.group()), plain)
    evidence: list[Evidence] = []
    seen: set[tuple[int, int]] = set()
    for category, (pattern, names) in _RULES.items():
        for match in pattern.finditer(masked):
            if match.end() == match.start() or (match.start(), match.end(), category) in seen:
                continue
            seen.add((match.start(), match.end(), category))
            start, end = where[match.start()], where[match.end() - 1] + 1
            denied = bool(_NEGATOR.search(masked[max(0, match.start() - 30):match.start()]))
            rule = names[int(match.lastgroup[1:])]
            evidence.append(Evidence(category, rule, text[start:end], start, end, denied))
    return text, plain, where, masked, evidence


def _result(evidence: list[Evidence]) -> SafeguardingResult:
    evidence.sort(key=lambda e: (e.start, CATEGORIES.index(e.category)))
    categories = tuple(c for c in CATEGORIES if any(e.category == c for e in evidence))
    matches = tuple(dict.fromkeys(e.words.lower() for e in evidence))
    flagged = bool(evidence)
    return SafeguardingResult(flagged, categories, matches,
                              negated=flagged and all(e.negated for e in evidence),
                              evidence=tuple(evidence))


# The second reader: a model trained on labelled comments ----------------------------------
# Rules miss wordings nobody wrote a rule for. A logistic regression over words, word pairs
# and character n-grams, trained on the project's labelled development comments
# (data/safeguarding_examples.jsonl: the development set, written by people who had not read the
# rules, 62 comments written later by an engineer who had, source "engineer-written", and every
# other evaluation set, each by a different writer, sources "eval-holdout" ... "eval-dev_extra3"),
# with the everyday complaints and praise of tests/data/service_feedback.csv as examples of
# comments that disclose nothing (so complaint tone alone is not a disclosure), flags what
# the rules did not when it is at least MODEL_THRESHOLD sure (MODEL_THRESHOLD_FIGURATIVE
# when an idiom was blanked out). Chosen by 5-fold cross-validation on the development
# comments and on comments an engineer wrote later (docs/analysis.md): at 0.5 / 0.8 it found
# 89% of indirect disclosures in the folds it had not seen, flagging 6% of idioms there and
# 9% of the later idioms. Idioms are blanked out first, as for the rules. Its word features
# leave out stop words, so its flags name the content words that weighed most.

MODEL_THRESHOLD = 0.5
#: When an idiom or a figurative use was blanked out ("killing me", "murdered him at Fifa"),
#: the comment has already explained its alarming words: the model must be surer.
MODEL_THRESHOLD_FIGURATIVE = 0.8
_EXAMPLES = Path(__file__).parent / "data" / "safeguarding_examples.jsonl"


#: The trained model's weights, written by scripts/train_safeguarding_model.py so a process
#: starting up (every `flask analyse-text`, every job worker) reads them in milliseconds
#: instead of training for seconds. Used only while its fingerprint matches the examples
#: and the scikit-learn in use; otherwise the model is trained here, as the script would.
MODEL_PATH = Path(__file__).parent / "data" / "safeguarding_model.npz"


def _vectorisers(**fixed):
    from sklearn.feature_extraction.text import ENGLISH_STOP_WORDS, TfidfVectorizer

    # Words without the stop words ("my", "at", "the"), so what weighs is what a comment is
    # about, and a flag names words a lead can read; the character n-grams still see them.
    words = TfidfVectorizer(ngram_range=(1, 2), sublinear_tf=True, stop_words=sorted(ENGLISH_STOP_WORDS),
                            vocabulary=fixed.get("words"))
    chars = TfidfVectorizer(analyzer="char_wb", ngram_range=(3, 5), sublinear_tf=True, min_df=2,
                            vocabulary=fixed.get("chars"))
    return words, chars


def model_fingerprint() -> str:
    """What the trained weights depend on: the examples, the idioms blanked out of them
    before training, and the scikit-learn version."""
    import hashlib
    from importlib.metadata import version

    # The installed version, read without importing scikit-learn (stored_model.py).
    return hashlib.sha256(_EXAMPLES.read_bytes() + f"\n{_IDIOM_RE.pattern}\nscikit-learn {version('scikit-learn')}".encode()).hexdigest()


def training_rows() -> list[dict]:
    """The labelled examples the model is trained on (``_EXAMPLES``)."""
    return [json.loads(line) for line in _EXAMPLES.read_text(encoding="utf-8").splitlines() if line.strip()]


def train_model(rows: list[dict] | None = None):
    """(vectoriser, word vectoriser, disclosure model, category model), trained on ``rows``
    (the examples unless given: scripts/safeguarding_leave_one_out.py passes others)."""
    from sklearn.linear_model import LogisticRegression
    from sklearn.pipeline import make_union

    rows = training_rows() if rows is None else rows
    texts = [_masked(normalise(r["text"])[0]) for r in rows]
    words, chars = _vectorisers()
    vectoriser = make_union(words, chars)
    matrix = vectoriser.fit_transform(texts)
    labels = [r["label"] == "disclosure" for r in rows]
    disclosure = LogisticRegression(C=16, class_weight="balanced", max_iter=2000).fit(matrix, labels)
    which = [i for i, r in enumerate(rows) if r["label"] == "disclosure" and r.get("category")]
    category = LogisticRegression(C=16, max_iter=2000).fit(matrix[which], [rows[i]["category"] for i in which])
    return vectoriser, words, disclosure, category


def model_arrays(model) -> dict:
    """The trained model as plain arrays (no pickled objects), for ``MODEL_PATH``."""
    import numpy as np

    _, words, disclosure, category = model
    chars = model[0].transformer_list[1][1]
    arrays = {"fingerprint": np.array(model_fingerprint())}
    for name, vectoriser in (("words", words), ("chars", chars)):
        vocabulary = vectoriser.vocabulary_
        arrays[f"{name}_terms"] = np.array(sorted(vocabulary, key=vocabulary.get))
        arrays[f"{name}_idf"] = vectoriser.idf_
    for name, classifier in (("disclosure", disclosure), ("category", category)):
        arrays[f"{name}_classes"] = classifier.classes_
        arrays[f"{name}_coef"] = classifier.coef_
        arrays[f"{name}_intercept"] = classifier.intercept_
    return arrays


def _load_model(path: Path):
    """The stored weights, run without scikit-learn (``stored_model``), or None when they
    were trained on other examples or another scikit-learn."""
    import numpy as np

    from . import stored_model

    with np.load(path, allow_pickle=False) as stored:
        if str(stored["fingerprint"]) != model_fingerprint():
            return None
        arrays = dict(stored)
    return stored_model.load(arrays)


@lru_cache(maxsize=1)
def _model():
    """(vectoriser, word vectoriser, disclosure model, category model): the stored weights
    when they were trained on these examples, or trained now."""
    return (_load_model(MODEL_PATH) if MODEL_PATH.exists() else None) or train_model()


@lru_cache(maxsize=1)
def _word_features() -> list[str]:
    """The word and word-pair features, by column (they come first in the union)."""
    return list(_model()[1].get_feature_names_out())


def _masked(plain: str) -> str:
    return _IDIOM_RE.sub(lambda m: " " * len(m.group()), plain)


def _model_evidence_many(read) -> list[Evidence | None]:
    """The model's flag for each (text, normalised, positions, idioms blanked, _) read by
    ``_rules``, or None below the threshold."""
    if not read:
        return []
    vectoriser, _, disclosure, _ = _model()
    masked = [m for _, _, _, m, _ in read]
    rows = vectoriser.transform(masked)
    column = list(disclosure.classes_).index(True)
    probabilities = disclosure.predict_proba(rows)[:, column]
    return [_evidence(text, where, m, rows[k], float(p))
            if p >= (MODEL_THRESHOLD if m == plain else MODEL_THRESHOLD_FIGURATIVE) else None
            for k, ((text, plain, where, _, _), m, p) in enumerate(zip(read, masked, probabilities))]


def _evidence(text: str, where: list[int], masked: str, row, probability: float) -> Evidence:
    _, _, disclosure, category = _model()
    # The words that weighed most towards a disclosure, to show the lead why.
    names = _word_features()
    weights = disclosure.coef_[0]
    present = [(weights[i] * value, names[i]) for i, value in zip(row.indices, row.data) if i < len(names)]
    top = [term for weight, term in sorted(present, reverse=True)[:3] if weight > 0]
    match = next((m for term in top for m in [re.search(rf"(?<!\w){re.escape(term)}(?!\w)", masked)] if m), None)
    start, end = (where[match.start()], where[match.end() - 1] + 1) if match else (0, len(text))
    guess = str(category.predict(row)[0])
    rule = f"model {probability:.2f}: " + ", ".join(top)
    return Evidence(guess, rule, text[start:end], start, end)
