package demo

// Word lists the generator draws from. Every name is invented; the non-ASCII
// entries (accents, Cyrillic, Greek, CJK, Hangul, emoji) are deliberate.

var artistNames = []string{
	"Orquesta Añil", "Les Étoiles Filantes", "東京ノイズ", "서울의 밤", "Ζέφυρος",
	"Мороз и Солнце", "Zoë & the Naïfs", "Björn Ekström Trio", "Crème Brûlée",
	"Søren Kjær Quartet", "Łódź Underground", "Niño Bravo Sound System",
	"São Jorge Collective", "Rock 'n' Roll Café", "🎸 Emoji Riot", "Ümit & Friends",
	"Paper Lanterns", "Copper Sky", "Neon Harbor", "Mira Castellanos", "DJ Kōhei",
	"Ana Lúcia Prado", "Théo Marchand", "Ingrid Solberg",
}

var bandAdjectives = []string{
	"Velvet", "Midnight", "Electric", "Silver", "Hollow", "Golden", "Paper",
	"Crimson", "Quiet", "Wandering", "Lunar", "Restless", "Northern", "Broken",
}

var bandNouns = []string{
	"Foxes", "Harbors", "Lanterns", "Pilots", "Tides", "Engines", "Ghosts",
	"Sparrows", "Satellites", "Rivers", "Mirrors", "Kites", "Wolves", "Echoes",
}

var titleWords = []string{
	"Midnight", "River", "Electric", "Dreams", "Summer", "Rain", "Fire", "Heart",
	"静かな夜", "Corazón", "Sehnsucht", "사랑", "Café", "Noite", "Ωμέγα", "Ciel",
	"Highway", "Shadow", "Light", "Ocean", "Dance", "Ghost", "Gold", "Blue",
	"Lullaby", "Storm", "Garden", "Satellite", "Horizon", "Echo", "Mañana", "Fjord",
}

var titlePatterns = []string{
	"%s %s", "The %s of %s", "%s in %s", "%s & %s", "%s (Live)", "%s – %s",
	"%s %s 🌙", "%s, %s", "%s (Remastered)", "Song for %s",
}

var genres = []string{
	"Rock", "Jazz", "Electronic", "Hip-Hop", "Classical", "Bossa Nova", "K-Pop",
	"Chanson", "Metal", "Folk", "Reggae", "Blues", "J-Pop", "Música Popular",
}

var labels = []string{
	"Blue Fjord Records", "Étiquette Lumière", "Sonido Añil", "北風レコード",
	"Harbor Light", "Independent",
}

var albumTags = []string{"live", "remastered", "debut", "deluxe", "acoustic", "compilation", "soundtrack", "ライブ"}

var countries = []string{"US", "GB", "FR", "DE", "JP", "KR", "BR", "SE", "NO", "ES", "MX", "PL", "GR", "RU", "IS", "PT"}

type person struct{ name, ascii string }

var firstNames = []person{
	{"José", "jose"}, {"Zoë", "zoe"}, {"Søren", "soren"}, {"Łukasz", "lukasz"},
	{"François", "francois"}, {"Ana María", "anamaria"}, {"美咲", "misaki"},
	{"지민", "jimin"}, {"Γιώργος", "giorgos"}, {"Анна", "anna"}, {"Emma", "emma"},
	{"Liam", "liam"}, {"Olivia", "olivia"}, {"Noah", "noah"}, {"Mia", "mia"},
	{"Lucas", "lucas"}, {"Chloé", "chloe"}, {"Mateo", "mateo"}, {"Ingrid", "ingrid"},
	{"Priya", "priya"}, {"Tomás", "tomas"}, {"Björn", "bjorn"}, {"Aoife", "aoife"},
	{"Jürgen", "jurgen"},
}

var lastNames = []person{
	{"Gómez", "gomez"}, {"Müller", "muller"}, {"Nowak", "nowak"}, {"Dubois", "dubois"},
	{"佐藤", "sato"}, {"김", "kim"}, {"Παπαδόπουλος", "papadopoulos"}, {"Иванова", "ivanova"},
	{"Smith", "smith"}, {"Johansson", "johansson"}, {"Rossi", "rossi"}, {"Silva", "silva"},
	{"Núñez", "nunez"}, {"O'Brien", "obrien"}, {"Kowalczyk", "kowalczyk"}, {"Sharma", "sharma"},
	{"Haugen", "haugen"}, {"Fernández", "fernandez"}, {"Lefèvre", "lefevre"}, {"Brown", "brown"},
}

var companies = []string{"Acme Música Ltda.", "Nordlys AS", "Café Olé SARL", "株式会社ミュージック", "Globex", "Initech"}

type place struct{ city, country string }

var places = []place{
	{"São Paulo", "Brazil"}, {"Zürich", "Switzerland"}, {"Kraków", "Poland"}, {"東京", "Japan"},
	{"서울", "South Korea"}, {"Reykjavík", "Iceland"}, {"Montréal", "Canada"},
	{"Ciudad de México", "Mexico"}, {"Paris", "France"}, {"Berlin", "Germany"},
	{"London", "United Kingdom"}, {"New York", "United States"}, {"Αθήνα", "Greece"},
	{"Göteborg", "Sweden"}, {"Oslo", "Norway"}, {"Madrid", "Spain"}, {"Lisboa", "Portugal"},
	{"Bengaluru", "India"}, {"Chicago", "United States"}, {"Köln", "Germany"},
}

var languages = []string{"en", "pt-BR", "fr", "de", "ja", "ko", "es", "sv", "pl", "el"}

var formats = []string{"mp3", "flac", "aac", "ogg"}

var invoiceNotes = []string{"Gift 🎁", "Paid by bank transfer", "Rechnung per E-Mail", "請求書を送付済み", "Refund requested; see ticket #4711"}

var favoriteNotes = []string{"❤️", "Perfect for Sunday mornings ☕", "Canción favorita", "Für die Autofahrt", "夜に聴く"}

var devices = []string{"web", "ios", "android", "desktop"}

var musicalKeys = []string{"C major", "A minor", "G major", "E minor", "D major", "B♭ major", "F♯ minor", "C♯ minor"}
