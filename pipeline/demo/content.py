"""The demo site's text: conditions, treatments and exercises written for this
project. Plain data; :mod:`pipeline.demo.site` assembles pages from it."""

CATEGORIES = [
    ("back-pain", "Back Pain"),
    ("neck-shoulders", "Neck & Shoulders"),
    ("knees-hips", "Knees & Hips"),
    ("headaches", "Headaches"),
    ("sleep", "Sleep"),
    ("fitness", "Fitness"),
]

# (condition, category slug, short description of what it is)
CONDITIONS = [
    ("back muscle spasms", "back-pain", "sudden, involuntary tightening of the muscles along the spine"),
    ("lower back pain", "back-pain", "an ache between the bottom of the ribs and the top of the legs"),
    ("sciatica", "back-pain", "pain that runs from the lower back down the back of one leg"),
    ("upper back stiffness", "back-pain", "a tight, tired feeling between the shoulder blades"),
    ("a stiff neck", "neck-shoulders", "soreness that makes it hard to turn the head"),
    ("shoulder impingement", "neck-shoulders", "pinching of the tendons at the top of the shoulder"),
    ("tension in the trapezius", "neck-shoulders", "knots in the muscle that runs from the neck to the shoulder"),
    ("runner's knee", "knees-hips", "a dull pain around the front of the kneecap"),
    ("tight hip flexors", "knees-hips", "a pulling feeling at the front of the hip after long sitting"),
    ("knee osteoarthritis", "knees-hips", "wear of the cartilage that cushions the knee joint"),
    ("tension headaches", "headaches", "a band of pressure around the forehead and temples"),
    ("migraine attacks", "headaches", "throbbing head pain, often with nausea and light sensitivity"),
    ("insomnia", "sleep", "trouble falling asleep or staying asleep"),
    ("restless legs at night", "sleep", "an urge to move the legs when lying down in the evening"),
    ("muscle soreness after exercise", "fitness", "stiffness that peaks a day or two after a hard session"),
    ("shin splints", "fitness", "pain along the inner edge of the shin bone"),
]

# name, category, body sentences. Names vary in wording across articles so the
# dedupe stage has real merging work to do.
TREATMENTS = [
    (["Use a heating pad", "Apply heat with a heating pad", "Heating pads"], "heat",
     "Warmth relaxes tight muscle fibres and brings blood to the area. Place a heating pad or a hot water bottle "
     "on the sore spot for 15 to 20 minutes at a time, with a cloth between it and your skin."),
    (["Apply an ice pack", "Use cold packs", "Ice the area"], "cold",
     "Cold narrows blood vessels and dulls pain in the first two days after a flare-up. Wrap an ice pack in a thin "
     "towel and hold it on the area for ten minutes, then give the skin a break."),
    (["Take an over-the-counter pain reliever", "Use medications", "Try anti-inflammatory medicine"], "medication",
     "A nonsteroidal anti-inflammatory drug (NSAID) such as ibuprofen or naproxen eases pain and swelling. "
     "Paracetamol (acetaminophen) is an option if NSAIDs upset your stomach. Follow the dose on the label."),
    (["Rest from daily activities", "Take a short rest", "Rest the area"], "rest",
     "A day or two of relative rest lets irritated tissue settle. Avoid lying still for long, though: gentle "
     "movement every hour keeps the joints from stiffening."),
    (["Call your physician in severe cases", "See a doctor if it gets worse", "Talk to your doctor"], "professional care",
     "Get medical help if the pain is severe, lasts more than a few weeks, or comes with fever, numbness or "
     "weakness. These can be signs of something serious such as a kidney infection (pyelonephritis) or a slipped disc."),
    (["Book a massage", "Get a deep tissue massage", "Try massage therapy"], "massage",
     "A trained massage therapist can work out knots and improve blood flow. Deep tissue massage can be beneficial "
     "for muscles that stay tight for weeks."),
    (["Improve your posture", "Prevent flare-ups with good posture", "Mind your posture"], "prevention",
     "Set your screen at eye level, keep both feet on the floor and take a break to stand every half hour. Lift "
     "heavy objects with your knees bent and the load close to your body."),
    (["Stay hydrated", "Drink enough water", "Drink more water"], "diet",
     "Muscles cramp more easily when you are short of fluids and electrolytes. Keep a bottle of water nearby and "
     "add a pinch of salt or a banana on hot days."),
    (["Eat anti-inflammatory foods", "Choose an anti-inflammatory diet"], "diet",
     "Oily fish, leafy greens, berries and olive oil are linked with lower levels of inflammation. Cut back on "
     "sugary drinks and heavily processed snacks."),
    (["Keep a regular sleep schedule", "Go to bed at the same time"], "prevention",
     "Going to bed and getting up at the same times, even at weekends, steadies your body clock. Keep the bedroom "
     "dark, quiet and cool."),
    (["Wear supportive shoes", "Choose supportive footwear"], "prevention",
     "Shoes with a firm heel counter and good cushioning spread the load on your legs. Replace running shoes "
     "every 500 to 800 kilometres."),
    (["Try a topical pain relief cream", "Rub in a menthol gel"], "medication",
     "Creams with menthol, capsaicin or diclofenac act where you apply them and rarely upset the stomach."),
]

# name variants, body position sentence, description, hold, reps, sets
EXERCISES = [
    (["Lower back stretch", "Knee-to-chest stretch", "Knees to chest"],
     "Lie on your back with your knees bent.",
     "Bring both knees towards your chest and wrap your arms around them.",
     "Hold this position for seven seconds and breathe in and out deeply.", None, None),
    (["Hump and sag technique", "Cat-cow stretch", "Cat and cow"],
     "Kneel on all fours with your hands under your shoulders.",
     "Tuck your chin and arch your back up like a cat, then let your belly sink.",
     "Hold each position for about five seconds.", "Repeat 10 times.", None),
    (["Pelvic tilt", "Pelvic tilt solution", "Pelvic tilts"],
     "Lie on your back with your knees bent and your feet flat on the floor.",
     "Tighten your stomach and press the small of your back into the floor.",
     "Hold this position for six seconds, then rest for 10 seconds.", "Do 8 to 12 repetitions.", "Complete 2 sets."),
    (["Child's pose", "Child pose stretch"],
     "Kneel on the floor and sit back on your heels.",
     "Reach your arms forward along the floor and let your forehead rest on the mat.",
     "Stay here for 30 seconds.", None, None),
    (["Bird dog", "Bird-dog exercise"],
     "Kneel on all fours.",
     "Reach your right arm forward and your left leg back until both are level with your back.",
     "Hold for a 10-second count, then switch sides.", "Do 10 reps on each side.", "Do 3 sets."),
    (["Glute bridge", "Bridge exercise", "Bridges"],
     "Lie on your back with your knees bent.",
     "Push through your heels and lift your hips until your body forms a straight line.",
     "Hold at the top for five seconds.", "Repeat 12 times.", "Perform 3 sets with a minute of rest between them."),
    (["Chin tuck", "Chin tucks"],
     "Sit up straight with your shoulders relaxed.",
     "Draw your chin straight back as if making a double chin.",
     "Hold for three seconds.", "Repeat 10 times.", None),
    (["Neck side stretch", "Ear-to-shoulder stretch"],
     "Sit or stand tall.",
     "Tilt your head so your right ear moves towards your right shoulder.",
     "Hold the stretch for 20 seconds on each side.", None, None),
    (["Wall angels", "Wall angel"],
     "Stand with your back against a wall and your feet a small step forward.",
     "Slide your arms up and down the wall, keeping your elbows and wrists in contact.",
     None, "Do 10 slow repetitions.", "2 sets."),
    (["Straight leg raise", "Straight-leg raises"],
     "Lie on your back with one knee bent and the other leg straight.",
     "Tighten the thigh of the straight leg and lift it to the height of the bent knee.",
     "Hold for 5 seconds before lowering it slowly.", "Do 10 reps per leg.", "Do 3 sets."),
    (["Kneeling hip flexor stretch", "Hip flexor stretch"],
     "Kneel on your right knee with your left foot flat in front of you.",
     "Shift your weight forward until you feel a stretch at the front of the right hip.",
     "Hold for 1 minute, then switch sides.", None, None),
    (["Calf raise", "Calf raises", "Heel raises"],
     "Stand with your feet hip-width apart, holding a chair for balance.",
     "Rise onto the balls of your feet, then lower your heels slowly.",
     None, "Do 15 repetitions.", "Complete 3 sets."),
    (["Plank", "Forearm plank"],
     "Lie face down, then prop yourself up on your forearms and toes.",
     "Keep your body in a straight line from head to heels.",
     "Hold for 20 to 30 seconds.", None, "Do 3 sets."),
    (["Progressive muscle relaxation", "Muscle relaxation exercise"],
     "Lie on your back in bed with your arms by your sides.",
     "Tense the muscles of your feet, then let them go, and work your way up the body.",
     "Hold each squeeze for about five seconds before releasing.", None, None),
]

# (hold_seconds, reps, sets) that each exercise's text states, in EXERCISES order:
# the ground truth for tests and bench/extract_quality.py.
EXERCISE_FACTS = [
    (7, None, None), (5, 10, None), (6, 8, 2), (30, None, None), (10, 10, 3), (5, 12, 3), (3, 10, None),
    (20, None, None), (None, 10, 2), (5, 10, 3), (60, None, None), (None, 15, 3), (20, None, 3), (5, None, None),
]

INTROS = [
    "People miss work because of {condition} more often than you might think, which is why it is worth learning how to handle it at home.",
    "{Condition} is {description}. Most cases get better on their own within a few weeks with simple self-care.",
    "If you live with {condition}, small daily habits can make a big difference to how you feel.",
    "Doctors see {condition} every day. The good news is that there is a lot you can do yourself.",
]
SECOND_PARAS = [
    "The problem usually starts with overuse, a sudden awkward movement or long hours in one position.",
    "Stress, poor sleep and too little movement during the day can all make symptoms worse.",
    "Warming up properly and building up activity slowly lowers the chance that it comes back.",
    "Knowing what sets it off for you is half of the work of keeping it away.",
]
CLOSINGS = [
    "Most people feel better within a couple of weeks. If you do not, it is time to ask a professional.",
    "Give each change a fair trial of two weeks before you decide whether it helps.",
    "Keep a short diary of what you tried and how you felt: it makes a visit to the doctor far more useful.",
]
TREATMENT_LEADINS = [
    "Here are some treatments to try:", "Try these remedies:", "What can you do about it?", "Ways to find relief:",
]
EXERCISE_LEADINS = [
    "Here are some types of exercises to try:", "Exercises that help:", "Try these stretches:",
    "A short exercise routine:",
]
CAUSES = ["Sitting for long periods", "Lifting with a rounded back", "Poor sleep", "Dehydration", "Stress"]
COMMENTERS = ["Marge", "deano77", "runner_jo", "Pat K.", "sunflower12", "Oskar"]
COMMENTS = [
    "This helped me a lot, thank you!", "Try a heat wrap overnight, works better than ice for me.",
    "My physio said the same thing.", "Does anyone know if this works for older people?",
]
