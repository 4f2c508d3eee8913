// Word lists the catalog generator combines into titles, descriptions and people. Changing a list changes
// the generated catalog (ids stay the same: they are derived from positions, not from text).

export const FIRST_NAMES = [
  "Ada", "Adrian", "Aiko", "Alma", "Amara", "Andre", "Anika", "Arjun", "Astrid", "Beatriz", "Benedict", "Bianca",
  "Bruno", "Camila", "Cassius", "Celeste", "Chidi", "Clara", "Colin", "Dalia", "Damien", "Daria", "Declan",
  "Delphine", "Diego", "Elena", "Elias", "Elif", "Emeka", "Esme", "Ezra", "Farah", "Felix", "Fiona", "Gabriel",
  "Greta", "Hana", "Hugo", "Ines", "Ingrid", "Isaac", "Ivy", "Jasper", "Javier", "Jonah", "Julia", "Kai",
  "Kamala", "Keanu", "Kenji", "Lara", "Leon", "Lena", "Luca", "Lucia", "Magnus", "Maya", "Mateo", "Mei",
  "Milo", "Mira", "Nadia", "Nikolai", "Nina", "Noah", "Nora", "Oscar", "Olga", "Omar", "Paloma", "Priya",
  "Quentin", "Rafael", "Rhea", "Rosa", "Rowan", "Ruth", "Samir", "Sana", "Sebastian", "Selma", "Silas", "Sofia",
  "Tariq", "Thea", "Theo", "Tomas", "Uma", "Valentina", "Victor", "Vera", "Wes", "Willa", "Xavier", "Yara",
  "Yusuf", "Zadie", "Zane", "Zora",
] as const;

export const LAST_NAMES = [
  "Abara", "Almeida", "Andersen", "Baptiste", "Barros", "Bauer", "Bennett", "Bianchi", "Calloway", "Castellano",
  "Chen", "Coleman", "Costa", "Dahl", "Delacroix", "Desai", "Dubois", "Eriksen", "Esposito", "Falk", "Ferreira",
  "Fischer", "Fontaine", "Garcia", "Gallagher", "Haddad", "Hartley", "Hayashi", "Hoffmann", "Ibarra", "Ivanova",
  "Jansen", "Jimenez", "Kaur", "Kowalski", "Kruger", "Laine", "Laurent", "Lindqvist", "Lopez", "Maddox",
  "Mbeki", "Mendes", "Moreau", "Murphy", "Nakamura", "Novak", "Nunez", "Oakes", "Okafor", "Olsen", "Ortega",
  "Park", "Patel", "Petrov", "Quinn", "Ramos", "Reyes", "Rossi", "Sato", "Schneider", "Silva", "Sokolov",
  "Stewart", "Takahashi", "Tan", "Thorne", "Torres", "Uchida", "Valdez", "Vance", "Varga", "Wagner", "Walsh",
  "Whitaker", "Wong", "Xu", "Yamada", "Yilmaz", "Zeller", "Zhang",
] as const;

export const ADJECTIVES = [
  "Silent", "Crimson", "Broken", "Hidden", "Endless", "Golden", "Hollow", "Last", "Lost", "Midnight", "Northern",
  "Burning", "Quiet", "Restless", "Savage", "Shattered", "Secret", "Stolen", "Wild", "Winter", "Electric",
  "Forgotten", "Distant", "Velvet", "Iron", "Paper", "Glass", "Bitter", "Brave", "Dark", "Final", "Frozen",
  "Infinite", "Lonely", "Neon", "Pale", "Scarlet", "Sunken", "Twisted", "Wandering",
] as const;

export const NOUNS = [
  "Horizon", "Harbor", "Empire", "Garden", "Kingdom", "Signal", "River", "Frontier", "Orchard", "Lighthouse",
  "Circuit", "Covenant", "Echo", "Ember", "Fault", "Gambit", "Heist", "Inheritance", "Lantern", "Machine",
  "Meridian", "Mirror", "Monument", "Oath", "Outpost", "Paradox", "Passage", "Pilgrim", "Protocol", "Reckoning",
  "Requiem", "Sanctuary", "Shadow", "Shore", "Sky", "Storm", "Summit", "Tide", "Verdict", "Voyage", "Witness",
  "Vow", "Crown", "Atlas", "Canyon", "Compass", "Descent", "Labyrinth",
] as const;

export const PLACES = [
  "Avalon", "Blackwater", "Cairo", "Cedar Falls", "Copenhagen", "Dunmore", "Eldoria", "Ferrow Bay", "Glasgow",
  "Havana", "Istanbul", "Juniper Creek", "Kyoto", "Lagos", "Lisbon", "Marrakesh", "Nova Terra", "Oslo",
  "Port Royal", "Quito", "Redhollow", "Saint-Malo", "Tangier", "Umbria", "Valparaiso", "Westbrook", "Yellowknife",
  "Zanzibar", "the North", "the Valley", "Mars", "Europa", "the Deep", "Ash Island",
] as const;

export const KIDS_ADJECTIVES = [
  "Little", "Brave", "Sparkly", "Giggling", "Tiny", "Magical", "Sleepy", "Bouncy", "Clever", "Happy", "Curious",
  "Fuzzy", "Jolly", "Rainbow", "Mighty", "Silly",
] as const;

export const KIDS_NOUNS = [
  "Dragon", "Penguin", "Robot", "Unicorn", "Dinosaur", "Puppy", "Kitten", "Rocket", "Pirate", "Owl", "Bunny",
  "Fox", "Turtle", "Snowman", "Train", "Balloon", "Bear", "Monster", "Moon", "Treehouse",
] as const;

export const KIDS_QUESTS = [
  "Big Adventure", "Birthday Surprise", "Secret Club", "Magic Garden", "Great Race", "Moon Trip", "Lost Treasure",
  "Snow Day", "Summer Camp", "Friendship Song", "Cloud Castle", "Amazing Machine",
] as const;

export const DARK_NOUNS = [
  "Hollow", "Curse", "Haunting", "Whisper", "Bloodline", "Ritual", "Nightmare", "Cellar", "Possession", "Vigil",
  "Grave", "Séance", "Hunger", "Keeper", "Thing Below", "Visitor",
] as const;

export const DOC_TOPICS = [
  "Coral Reefs", "the Amazon", "Deep Space", "the Silk Road", "Honeybees", "Antarctica", "the Human Brain",
  "Volcanoes", "Jazz", "Street Food", "Ancient Rome", "the Arctic Fox", "Climate", "Chess", "Skyscrapers",
  "the Moon Landing", "Wolves", "Rainforests", "Fashion", "Football", "Submarines", "Vinyl Records",
  "the Great Barrier Reef", "Artificial Intelligence", "Mountaineering", "Coffee", "the Sahara", "Whales",
  "Monarch Butterflies", "the Printing Press",
] as const;

export const DOC_FRAMES = [
  "Inside", "The Secret Life of", "Chasing", "The Story of", "Beyond", "The Rise of", "In Search of",
  "Understanding", "The World of", "Portrait of",
] as const;

export const DESCRIPTION_SUBJECTS = [
  "a disgraced detective", "a retired astronaut", "two estranged sisters", "a small-town baker",
  "a young cartographer", "an ambitious lawyer", "a reluctant heir", "a street magician", "a grieving widower",
  "a rookie paramedic", "a former spy", "a gifted violinist", "a stubborn fisherman", "a teenage hacker",
  "an exiled prince", "a night-shift nurse", "a struggling novelist", "a marine biologist", "a con artist",
  "a war photographer", "a chef on the brink", "a schoolteacher", "a rookie pilot", "a retired boxer",
] as const;

export const DESCRIPTION_INCIDENTS = [
  "discovers a map hidden inside a library book", "inherits a crumbling seaside hotel",
  "witnesses a crime no one else believes happened", "receives a letter dated thirty years in the future",
  "wakes up with no memory of the last week", "is pulled back in for one final job",
  "finds a stranger living in the attic", "uncovers a secret buried beneath the town",
  "intercepts a signal from deep space", "loses everything in a single night",
  "is offered a deal that seems too good to be true", "returns home for a funeral",
] as const;

export const DESCRIPTION_GOALS = [
  "must outrun a ruthless rival", "must team up with an old enemy", "races to expose a conspiracy",
  "sets out to win back a lost love", "must protect a child who knows too much",
  "has seven days to clear their name", "must decide who to trust", "fights to keep the family together",
  "embarks on a journey across the continent", "has to solve the mystery before dawn",
] as const;

export const DESCRIPTION_STAKES = [
  "before the storm reaches the coast", "while the whole city watches", "before the past catches up",
  "as secrets start to surface", "with nothing left to lose", "before the trail goes cold",
  "as the clock runs out", "against impossible odds", "before winter closes the pass",
  "while hiding the truth from everyone they love",
] as const;

export const DESCRIPTION_TAGS = [
  "A gripping story of loyalty and betrayal.", "Funny, warm and surprisingly tender.",
  "A slow-burning tale of obsession.", "Based on an acclaimed novel.", "A breathtaking visual spectacle.",
  "From the award-winning director.", "An unforgettable journey.", "A love letter to second chances.",
] as const;

export const KIDS_DESCRIPTIONS = [
  "learns that friends make every adventure better", "sets off to find the way back home",
  "tries to throw the best party the forest has ever seen", "discovers a door to a world made of candy",
  "must help a lost star return to the sky", "builds a machine that can talk to animals",
  "joins the big race and learns that trying is what counts", "finds a map to the rainbow's end",
] as const;

export const EPISODE_WORDS = [
  "Pilot", "Homecoming", "The Long Night", "Crossroads", "Fault Lines", "Blood and Water", "The Offer",
  "Ghosts", "Undertow", "Trust Fall", "Ashes", "The Visitor", "Safe Harbor", "Breaking Point", "Old Wounds",
  "Checkmate", "Low Tide", "The Confession", "Exit Strategy", "Reunion", "Firewall", "Wildfire", "Aftermath",
  "Paper Trail", "Dead Reckoning", "Thin Ice", "Point of No Return", "New Blood", "Last Call", "Endgame",
] as const;

export const CHARACTER_NAMES = [
  "Detective Hale", "Captain Reyes", "Dr. Imogen Cross", "The Stranger", "Mara", "Jonah Finch", "Agent Kessler",
  "Lady Ashworth", "Young Theo", "Sister Agnes", "Mayor Dunn", "Commander Voss", "Eli", "Rosa Delgado",
  "The Narrator", "Nurse Patel", "Professor Grey", "Kit", "Officer Lang", "Grandma June", "King Aldric",
  "Captain Juniper", "Pip", "Luna", "Sergeant Ortiz", "Dr. Okafor", "The Fox", "Max", "Queen Isolde", "Benny",
] as const;

export const GENRES = [
  "Drama", "Comedy", "Thriller", "Sci-Fi", "Documentary", "Animation", "Family", "Horror", "Romance", "Action",
  "Crime", "Fantasy", "Mystery", "Adventure", "History",
] as const;

export type Genre = (typeof GENRES)[number];
