"""Demo articles, written for this project. Demonstration content, not medical advice."""

DEMO_NOTE = ("<p><em>Demonstration content for the CMS. It shows how a reviewed article looks; "
             "do not use it as medical advice.</em></p>")

MELATONIN = {
    "slug": "melatonin-for-sleep",
    "title": "Melatonin for sleep: what it can and cannot do",
    "type": "substance",
    "topics": ["Sleep", "Supplements"],
    "summary": ("Melatonin is a hormone sold as a supplement or prescribed as a medicine. It can shorten "
                "the time it takes to fall asleep by a few minutes and helps with jet lag, but it is not "
                "a strong sleeping pill and product strength varies."),
    "body": DEMO_NOTE + (
        "<p>Melatonin is a hormone the brain releases in the evening as light fades. It signals that it "
        "is night; it does not knock you out. Supplements and prescription tablets contain the same "
        "molecule, but they are regulated differently depending on the country.</p>"
        "<h2>How people use it</h2>"
        "<p>People take melatonin for trouble falling asleep, for jet lag and for shift work. Clinicians "
        "also prescribe it for some children with neurodevelopmental conditions under specialist care.</p>"
    ),
    "sections": {
        "evidence_summary": (
            "<p>Meta-analyses of randomised trials find that melatonin shortens the time to fall asleep "
            "by about seven minutes on average and adds a small amount of total sleep [1][2]. The effect "
            "is larger for jet lag and for circadian rhythm disorders. Most trials are small and short, "
            "so long-term benefits and harms are uncertain.</p>"),
        "side_effects": (
            "<p>Side effects are usually mild: headache, dizziness, nausea and daytime sleepiness are the "
            "most often reported [2]. Vivid dreams and irritability occur in some people. Because "
            "drowsiness can last into the morning, avoid driving until you know how it affects you.</p>"),
        "interactions": (
            "<p>Melatonin can add to the effect of sedatives, sleeping tablets, alcohol and some "
            "antihistamines. It may interact with blood thinners such as warfarin, with fluvoxamine "
            "(which sharply raises melatonin levels), and with medicines for epilepsy or diabetes. Ask a "
            "pharmacist to check your other medicines first.</p>"),
        "who_should_avoid": (
            "<p>Avoid melatonin in pregnancy and while breastfeeding, as safety has not been shown. "
            "Children should take it only when a specialist prescribes it. People with epilepsy, "
            "autoimmune disease, liver disease or depression should speak to their doctor first, "
            "because these conditions were excluded from most trials.</p>"),
        "dependence_withdrawal": (
            "<p>Melatonin is not known to cause physical dependence, and trials have not shown the "
            "withdrawal symptoms seen with older sleeping tablets. Some people find their sleep worse "
            "for a few nights after stopping, which usually settles. There is little long-term data on "
            "nightly use over many years.</p>"),
        "overdose_toxicity": (
            "<p>Large doses mainly cause prolonged drowsiness, headache and nausea. Serious poisoning is "
            "rare, but children who swallow adult gummies have needed hospital care. If a child takes "
            "melatonin by accident, or an adult is hard to wake, contact poison control or emergency "
            "services straight away.</p>"),
        "legal_status": (
            "<p>In the United Kingdom and the European Union melatonin is a prescription-only medicine. "
            "In the United States and Canada it is sold over the counter as a dietary supplement or "
            "natural health product, which means products are not checked for strength before sale; one "
            "study found contents ranging widely from the label [3].</p>"),
        "dosing_statement": (
            "<p>Dose is decided by the prescriber. The licensed UK product for adults aged 55 and over is "
            "a 2 mg prolonged-release tablet taken once nightly for up to 13 weeks, according to the "
            "summary of product characteristics [5]. No safe dose has been established for unsupervised "
            "use of unlicensed supplements.</p>"),
        "alternatives": (
            "<p>For long-term insomnia, cognitive behavioural therapy for insomnia (CBT-I) is the first "
            "recommended treatment and works better over time than any tablet [4]. Regular wake times, "
            "daylight in the morning and less screen light at night also help. Not treating short-term "
            "poor sleep is reasonable, as it often settles.</p>"),
        "when_to_seek_help": (
            "<p>See a doctor if poor sleep lasts longer than three months, if you snore loudly or stop "
            "breathing in your sleep, or if low mood comes with it. Get urgent help for thoughts of "
            "self-harm (UK 999 or Samaritans 116 123; US 988). For an accidental overdose in a child, "
            "call poison control (US 1-800-222-1222) or NHS 111.</p>"),
    },
    "references": [
        {"title": "Meta-analysis: melatonin for the treatment of primary sleep disorders",
         "source": "PLoS One", "year": 2013, "doi": "10.1371/journal.pone.0063773", "pmid": "23691095"},
        {"title": "The efficacy and safety of exogenous melatonin for primary sleep disorders: a meta-analysis",
         "source": "Journal of General Internal Medicine", "year": 2005,
         "doi": "10.1111/j.1525-1497.2005.0243.x", "pmid": "16423108"},
        {"title": "Melatonin natural health products and supplements: presence of serotonin and "
                  "significant variability of melatonin content",
         "source": "Journal of Clinical Sleep Medicine", "year": 2017, "doi": "10.5664/jcsm.6462",
         "pmid": "27855744"},
        {"title": "Clinical practice guideline for the pharmacologic treatment of chronic insomnia in adults",
         "source": "Journal of Clinical Sleep Medicine", "year": 2017, "doi": "10.5664/jcsm.6470",
         "pmid": "27998379"},
        {"title": "Melatonin: medicine information", "source": "NHS", "year": 2023,
         "url": "https://www.nhs.uk/medicines/melatonin/"},
    ],
}

INSOMNIA = {
    "slug": "insomnia-causes-and-help",
    "title": "Insomnia: why it happens and what helps",
    "type": "condition",
    "topics": ["Sleep"],
    "summary": ("Insomnia means regularly finding it hard to fall or stay asleep. Most short spells "
                "settle by themselves; lasting insomnia responds best to a talking therapy called CBT-I."),
    "body": DEMO_NOTE + (
        "<p>Almost everyone sleeps badly at times. Insomnia becomes a condition when poor sleep happens "
        "at least three nights a week for three months and affects how you feel during the day.</p>"),
    "sections": {
        "evidence_summary": (
            "<p>Trials consistently show that cognitive behavioural therapy for insomnia improves sleep "
            "and that the gains last after treatment ends [1]. Sleeping tablets help in the short term, "
            "but their benefit is smaller and side effects and dependence limit their use to a few weeks "
            "at most.</p>"),
        "alternatives": (
            "<p>Options include CBT-I delivered in person, in groups or through an approved digital "
            "programme; short courses of medicine chosen by a prescriber; and treating causes such as "
            "pain, low mood or sleep apnoea. Waiting and keeping regular hours is reasonable for "
            "insomnia that began recently after a stressful event.</p>"),
        "when_to_seek_help": (
            "<p>See a doctor if insomnia lasts more than three months, if a bed partner notices pauses in "
            "your breathing, or if you fall asleep while driving. Seek urgent help for thoughts of "
            "self-harm: in the UK call 999 or Samaritans on 116 123, in the US call or text 988.</p>"),
    },
    "references": [
        {"title": "Cognitive behavioral therapy for chronic insomnia: a systematic review and meta-analysis",
         "source": "Annals of Internal Medicine", "year": 2015, "doi": "10.7326/M14-2841",
         "pmid": "26054060"},
    ],
}

SLEEP_HYGIENE = {
    "slug": "sleep-habits-that-help",
    "title": "Sleep habits that help",
    "type": "wellness",
    "topics": ["Sleep"],
    "summary": "Small daily habits that make it easier to sleep well, and what the evidence says about them.",
    "body": DEMO_NOTE + "<p>Keep the same wake time every day, including weekends.</p>",
    "sections": {
        "evidence_summary": (
            "<p>Habits such as a regular schedule, daylight exposure and a cool, dark bedroom are "
            "sensible and low risk, but on their own they rarely cure long-term insomnia. Studies of "
            "sleep hygiene advice alone show small effects, so it works best as part of CBT-I.</p>"),
        "who_should_avoid": "<p>TBD</p>",
        "when_to_seek_help": "<p>Consult a healthcare professional.</p>",
    },
    "references": [
        {"title": "Sleep hygiene: what it is and why it matters", "source": "Sleep Foundation",
         "year": 2023, "url": "https://www.sleepfoundation.org/sleep-hygiene"},
    ],
}

CAFFEINE = {
    "slug": "caffeine-and-anxiety",
    "title": "Caffeine and anxiety",
    "type": "substance",
    "topics": ["Supplements"],
    "summary": "",
    "body": "<p>Notes: cover how much caffeine is in common drinks, and who is sensitive to it.</p>",
    "sections": {},
    "references": [],
}

IBUPROFEN = {
    "slug": "ibuprofen-for-pain-and-fever",
    "title": "Ibuprofen for pain and fever",
    "type": "medicine",
    "topics": ["Pain", "Medicines"],
    "summary": ("Ibuprofen is an anti-inflammatory painkiller sold over the counter and on prescription. "
                "It eases mild to moderate pain and lowers fever, but it can irritate the stomach and is "
                "not safe for everyone."),
    "body": DEMO_NOTE + (
        "<p>Ibuprofen belongs to a group of medicines called non-steroidal anti-inflammatory drugs. It "
        "lowers the body's production of prostaglandins, chemicals that cause pain, swelling and fever.</p>"
        "<h2>What people use it for</h2>"
        "<p>Common uses are headaches, period pain, dental pain, sprains and a high temperature with a "
        "cold or flu. Gels applied to the skin are an option for a painful joint or muscle.</p>"
    ),
    "sections": {
        "evidence_summary": (
            "<p>Systematic reviews of randomised trials show that a single dose of ibuprofen relieves "
            "acute pain, such as pain after dental surgery, at least as well as paracetamol for many "
            "people [1]. Evidence for long-term use in chronic pain is weaker, and the benefit must be "
            "weighed against stomach, kidney and heart risks that grow with dose and duration [2].</p>"),
        "side_effects": (
            "<p>Common effects are indigestion, heartburn, nausea and diarrhoea. Less often it causes "
            "stomach ulcers or bleeding, kidney problems, raised blood pressure, or an allergic reaction "
            "with wheezing or a rash. The risk of serious effects rises in older people and with long use.</p>"),
        "interactions": (
            "<p>Taking it with other anti-inflammatory medicines, aspirin or blood thinners such as "
            "warfarin raises the risk of bleeding. It can weaken some blood pressure medicines and, "
            "with diuretics, strain the kidneys. Alcohol adds to the risk of stomach irritation.</p>"),
        "who_should_avoid": (
            "<p>People who have had a stomach ulcer or bleeding, severe heart, kidney or liver disease, "
            "or asthma made worse by anti-inflammatory medicines should not take it. It is not "
            "recommended from 20 weeks of pregnancy, and children should only have doses made for them.</p>"),
        "overdose_toxicity": (
            "<p>Taking more than the label allows can cause stomach pain, vomiting, drowsiness, ringing "
            "in the ears and, in large overdoses, kidney damage or fits. If someone has taken too much, "
            "contact a poison centre or emergency services at once, even if they feel well.</p>"),
        "legal_status": (
            "<p>In the United Kingdom small packs are sold in shops and larger ones in pharmacies; higher "
            "strengths need a prescription. In the United States lower strengths are sold over the counter "
            "and higher ones are prescription only. Pack sizes and rules differ between countries.</p>"),
        "dosing_statement": (
            "<p>Follow the dose on the pack or the patient information leaflet, which is set by the "
            "medicines regulator for each product and age group [3]. Use the lowest dose that helps, for "
            "the shortest time, and ask a pharmacist before using it for more than a few days.</p>"),
        "when_to_seek_help": (
            "<p>Get urgent help for black or bloody stools, vomiting blood, chest pain, sudden breathing "
            "difficulty or swelling of the face. In the UK call 999 or 111; in the US call 911 or Poison "
            "Control on 1-800-222-1222.</p>"),
    },
    "references": [
        {"title": "Single dose oral ibuprofen and diclofenac for postoperative pain",
         "source": "Cochrane Database of Systematic Reviews", "year": 2009,
         "doi": "10.1002/14651858.CD001548.pub2", "pmid": "19370566"},
        {"title": "Vascular and upper gastrointestinal effects of non-steroidal anti-inflammatory drugs",
         "source": "The Lancet", "year": 2013, "doi": "10.1016/S0140-6736(13)60900-9", "pmid": "23726390"},
        {"title": "Ibuprofen for adults: medicines information", "source": "NHS", "year": 2023,
         "url": "https://www.nhs.uk/medicines/ibuprofen-for-adults/"},
    ],
}
