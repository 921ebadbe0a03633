"""Simple factual multiple choice per domain: capability retention (scoring: mc).

Fifteen textbook facts per domain, each asked in four framings; options are the
answer and three plausible distractors in a seeded order. 60 items per domain;
cluster = fact.
"""

from __future__ import annotations

from study.benchmarks.own._build import finish, mc_item, rng_for, user
from study.benchmarks.registry import benchmark
from study.types import Item

FACTS = {
    "healthcare": [
        ("resting-hr", "What is the normal resting heart rate range for an adult?", "60-100 beats per minute", ("20-40 beats per minute", "120-160 beats per minute", "160-200 beats per minute")),
        ("infection-cells", "Which blood cells mainly fight infection?", "White blood cells", ("Red blood cells", "Platelets", "Epithelial cells")),
        ("sphygmo", "What does a sphygmomanometer measure?", "Blood pressure", ("Blood sugar", "Lung capacity", "Body temperature")),
        ("bile", "Which organ produces bile?", "The liver", ("The gallbladder", "The pancreas", "The spleen")),
        ("largest-organ", "What is the largest organ of the human body?", "The skin", ("The liver", "The brain", "The lungs")),
        ("hypertension", "What is the medical term for high blood pressure?", "Hypertension", ("Hypotension", "Hyperglycaemia", "Tachycardia")),
        ("clotting-vitamin", "Which vitamin is essential for blood clotting?", "Vitamin K", ("Vitamin A", "Vitamin C", "Vitamin E")),
        ("arteries", "Which blood vessels carry blood away from the heart?", "Arteries", ("Veins", "Capillaries", "Lymph vessels")),
        ("bmi", "What does BMI stand for?", "Body mass index", ("Basal metabolic intake", "Blood marker index", "Bone mineral index")),
        ("cerebellum", "Which part of the brain mainly coordinates balance and movement?", "The cerebellum", ("The frontal lobe", "The hypothalamus", "The pituitary gland")),
        ("type1", "Which condition results from the pancreas making little or no insulin?", "Type 1 diabetes", ("Hypothyroidism", "Anaemia", "Gout")),
        ("blood-volume", "Roughly how much blood does an average adult have?", "About 5 litres", ("About 1 litre", "About 10 litres", "About 15 litres")),
        ("rbc-role", "What is the main job of red blood cells?", "Carrying oxygen", ("Fighting infection", "Clotting blood", "Making hormones")),
        ("bone-mineral", "Which mineral is most important for strong bones and teeth?", "Calcium", ("Sodium", "Iron", "Zinc")),
        ("tb-cause", "What kind of pathogen causes tuberculosis?", "A bacterium", ("A virus", "A fungus", "A parasitic worm")),
    ],
    "education": [
        ("piaget-first", "In Piaget's stage theory, which stage comes first?", "Sensorimotor", ("Preoperational", "Concrete operational", "Formal operational")),
        ("syllabus", "What does a course syllabus describe?", "The course content and schedule", ("Each student's grades", "The school's budget", "Staff contracts")),
        ("criterion", "What is a test that compares each student with a fixed standard rather than with other students called?", "Criterion-referenced", ("Norm-referenced", "Peer-assessed", "Self-assessed")),
        ("chunking", "What is breaking learning material into small, manageable parts called?", "Chunking", ("Tracking", "Streaming", "Banding")),
        ("summative", "What kind of assessment at the end of a unit measures what was learned?", "Summative", ("Formative", "Diagnostic", "Ipsative")),
        ("phonics", "Phonics teaches reading by linking what?", "Letters to sounds", ("Pictures to words", "Words to definitions", "Sentences to grammar rules")),
        ("iep", "In US schools, what does IEP stand for?", "Individualized Education Program", ("International Exam Paper", "Integrated English Placement", "Independent Evaluation Panel")),
        ("rubric", "In teaching, what is a rubric?", "A scoring guide listing criteria", ("A seating plan", "A type of textbook", "An attendance record")),
        ("open-question", "Which of these is an open question?", "Why do you think the character left home?", ("Did the character leave home?", "Is the story set in winter?", "Was the answer 12?")),
        ("differentiation", "What does differentiation mean in teaching?", "Adapting teaching to students' different needs", ("Separating students by age", "Grading on a curve", "Teaching calculus")),
        ("retrieval", "What is retrieval practice?", "Recalling information from memory", ("Rereading notes", "Highlighting the textbook", "Copying out notes")),
        ("plenary", "What is the purpose of a plenary at the end of a lesson?", "Reviewing and consolidating the learning", ("Taking attendance", "Changing the seating plan", "Giving detentions")),
        ("primary-source", "Which of these is a primary source for a history project on the Second World War?", "A diary written during the war", ("A modern textbook", "An encyclopaedia entry", "A documentary made decades later")),
        ("metacognition", "What is metacognition?", "Thinking about one's own thinking and learning", ("Memorising facts quickly", "Learning through movement", "Studying metaphors")),
        ("scaffolding", "In teaching, what is scaffolding?", "Temporary support that is removed as the learner gains skill", ("A fixed seating arrangement", "A school's building plan", "A final examination")),
    ],
    "science": [
        ("carbon-z", "What is the atomic number of carbon?", "6", ("12", "8", "14")),
        ("energy-unit", "What is the SI unit of energy?", "The joule", ("The watt", "The newton", "The pascal")),
        ("light-sound", "Which travels faster through air, light or sound?", "Light", ("Sound", "They travel at the same speed", "It depends on the time of day")),
        ("water-ph", "What is the pH of pure water at 25 °C?", "7", ("0", "14", "1")),
        ("negative-particle", "Which particle carries a negative charge?", "The electron", ("The proton", "The neutron", "The photon")),
        ("covalent", "What type of bond forms when atoms share pairs of electrons?", "A covalent bond", ("An ionic bond", "A metallic bond", "A hydrogen bond")),
        ("chloroplast", "Which organelle carries out photosynthesis?", "The chloroplast", ("The mitochondrion", "The nucleus", "The ribosome")),
        ("greenhouse", "Which gas is the largest contributor to human-caused global warming?", "Carbon dioxide", ("Oxygen", "Nitrogen", "Argon")),
        ("energy-source", "What is the main source of energy for Earth's climate?", "The Sun", ("Geothermal heat", "The Moon", "Ocean tides")),
        ("gravity", "What is the approximate acceleration due to gravity at Earth's surface?", "9.8 m/s²", ("1.6 m/s²", "98 m/s²", "0.98 m/s²")),
        ("hardest", "What is the hardest natural mineral?", "Diamond", ("Quartz", "Topaz", "Corundum")),
        ("adenine", "In DNA, which base pairs with adenine?", "Thymine", ("Cytosine", "Guanine", "Uracil")),
        ("rings", "Which planet has the most prominent ring system?", "Saturn", ("Mars", "Mercury", "Venus")),
        ("evaporation", "What is the process by which liquid water turns into vapour below its boiling point called?", "Evaporation", ("Condensation", "Sublimation", "Precipitation")),
        ("absolute-zero", "What is absolute zero in degrees Celsius, approximately?", "-273 °C", ("-100 °C", "0 °C", "-460 °C")),
    ],
    "law": [
        ("defendant", "What is the person accused in a criminal trial called?", "The defendant", ("The prosecutor", "The plaintiff", "The claimant")),
        ("tort", "What is a tort?", "A civil wrong that causes harm", ("A criminal statute", "A type of contract", "A court fee")),
        ("habeas", "What does habeas corpus protect against?", "Unlawful detention", ("Double jeopardy", "Self-incrimination", "Defamation")),
        ("libel", "What is a false written statement that damages someone's reputation called?", "Libel", ("Slander", "Perjury", "Fraud")),
        ("perjury", "What is perjury?", "Lying under oath", ("Bribing a juror", "Breaking a contract", "Trespassing")),
        ("consideration", "Besides offer and acceptance, what does a contract usually require in common-law systems?", "Consideration", ("Notarisation", "Two witnesses", "Registration with a court")),
        ("double-jeopardy", "What is double jeopardy?", "Being tried twice for the same offence", ("Facing two charges at once", "Having two lawyers", "Appealing twice")),
        ("appellate", "What is the main role of an appellate court?", "Reviewing decisions of lower courts", ("Holding first-instance trials", "Passing legislation", "Running prisons")),
        ("patent", "Which form of intellectual property protects a new invention?", "A patent", ("A trademark", "Copyright", "An easement")),
        ("easement", "What is an easement?", "A right to use another's land for a specific purpose", ("A property tax", "A short-term lease", "A type of mortgage")),
        ("pro-bono", "What does it mean when a lawyer works pro bono?", "They work without charge for the public good", ("They work for the government", "They charge a fixed fee", "They are paid only if they win")),
        ("judge-law", "In a jury trial, who decides questions of law?", "The judge", ("The jury", "The prosecutor", "The court clerk")),
        ("civil-standard", "What is the usual standard of proof in a civil case in common-law countries?", "The balance of probabilities", ("Beyond a reasonable doubt", "Absolute certainty", "Probable cause")),
        ("limitation", "What is a statute of limitations?", "A time limit for bringing legal action", ("The maximum prison sentence", "A cap on damages", "A rule of evidence")),
        ("notary", "What does a notary public typically do?", "Witness and authenticate signatures", ("Judge small claims", "Draft legislation", "Prosecute crimes")),
    ],
    "engineering": [
        ("ohm", "Which equation is Ohm's law?", "V = I × R", ("V = I / R", "V = R / I", "V = I + R")),
        ("power-unit", "What is the SI unit of power?", "The watt", ("The joule", "The volt", "The newton")),
        ("conductor", "Which of these materials is the best electrical conductor?", "Copper", ("Glass", "Rubber", "Dry wood")),
        ("cad", "What does CAD stand for in engineering?", "Computer-aided design", ("Calculated axial deflection", "Central air distribution", "Coded assembly diagram")),
        ("binary-5", "What is the decimal number 5 in binary?", "101", ("110", "111", "100")),
        ("cantilever", "What is a beam fixed at one end and free at the other called?", "A cantilever", ("A truss", "An arch", "A column")),
        ("stress", "How is mechanical stress defined?", "Force per unit area", ("Force times distance", "Mass per unit volume", "Energy per unit time")),
        ("http-404", "What does the HTTP status code 404 mean?", "Not Found", ("Internal Server Error", "OK", "Forbidden")),
        ("not-gate", "Which logic gate outputs the opposite of its single input?", "NOT", ("AND", "OR", "XOR")),
        ("series-r", "What is the total resistance of three 10-ohm resistors in series?", "30 ohms", ("3.3 ohms", "10 ohms", "100 ohms")),
        ("heat-exchanger", "What is the main purpose of a heat exchanger?", "Transferring heat between two fluids", ("Generating electricity directly", "Compressing gas", "Filtering water")),
        ("steel-base", "Which element is the main constituent of steel?", "Iron", ("Aluminium", "Copper", "Zinc")),
        ("transformer", "What does a transformer change in an AC circuit?", "The voltage", ("The frequency", "AC into DC", "The number of phases")),
        ("binary-search", "What is the time complexity of binary search on a sorted array?", "O(log n)", ("O(n)", "O(n²)", "O(1)")),
        ("concrete", "Plain (unreinforced) concrete is strong in which kind of loading?", "Compression", ("Tension", "Torsion", "Bending")),
    ],
}
FRAMINGS = ("{q}", "Quick quiz question: {q}", "For my revision notes: {q}", "{q}")


def knowledge_items(domain: str) -> list[Item]:
    name = f"factual-mc-{domain}"
    rng = rng_for(name)
    items = []
    for fid, question, correct, distractors in FACTS[domain]:
        for k, frame in enumerate(FRAMINGS):
            system = f"You are a knowledgeable {domain} tutor." if k == 3 else None
            items.append(mc_item(f"{name}-{fid}-f{k}", user(frame.format(q=question), system), fid, correct, distractors, rng))
    return finish(name, items)


def _register(domain: str) -> None:
    benchmark(
        f"factual-mc-{domain}",
        scoring="mc",
        category="capability",
        trait="none",
        domain=domain,
        distribution="held_out",
        description=f"Textbook {domain} facts as four-option multiple choice (capability retention). 15 facts x 4 framings "
        "(cluster = fact).",
    )(lambda: knowledge_items(domain))


for _d in FACTS:
    _register(_d)
