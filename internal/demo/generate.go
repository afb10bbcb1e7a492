package demo

import (
	"encoding/json"
	"fmt"
	"math/rand/v2"
	"slices"
	"strings"
	"time"
)

// Fixed seed: the same rows on every machine and every run (PCG's output is
// part of math/rand/v2's compatibility promise).
const seed1, seed2 = 0x6a65746272696467, 0x64656d6f2d7631

// Sizes of the generated data (tracks, invoice lines, favorites follow from
// these through the generator).
const (
	numGeneratedArtists = 24 // besides the curated artistNames
	numCustomers        = 150
	numInvoices         = 500
	numPlays            = 1200
)

const (
	dateFormat     = "2006-01-02"
	dateTimeFormat = "2006-01-02 15:04:05"
)

// table is one table's generated rows, in column order.
type table struct {
	name string
	cols []string // quoted where needed
	rows [][]any
}

type gen struct {
	r *rand.Rand
}

func (g *gen) pick(list []string) string { return list[g.r.IntN(len(list))] }

// chance reports true with probability p.
func (g *gen) chance(p float64) bool { return g.r.Float64() < p }

// between returns a time in [from, to), whole seconds, UTC.
func (g *gen) between(from, to time.Time) time.Time {
	span := int64(to.Sub(from) / time.Second)
	return from.Add(time.Duration(g.r.Int64N(span)) * time.Second).UTC()
}

func (g *gen) title() string {
	p := g.pick(titlePatterns)
	a, b := g.pick(titleWords), g.pick(titleWords)
	switch strings.Count(p, "%s") {
	case 1:
		return fmt.Sprintf(p, a)
	default:
		return fmt.Sprintf(p, a, b)
	}
}

func mustJSON(v any) string {
	b, err := json.Marshal(v)
	if err != nil {
		panic(fmt.Sprintf("demo: marshal %T: %v", v, err)) // static data: cannot happen
	}
	return string(b)
}

// money renders cents as a decimal string with two places ("12.50").
func money(cents int) string { return fmt.Sprintf("%d.%02d", cents/100, cents%100) }

func date(t time.Time) string     { return t.Format(dateFormat) }
func datetime(t time.Time) string { return t.Format(dateTimeFormat) }

var (
	epochStart = time.Date(1962, 1, 1, 0, 0, 0, 0, time.UTC)
	storeOpen  = time.Date(2019, 3, 1, 9, 0, 0, 0, time.UTC)
	dataEnd    = time.Date(2025, 6, 30, 23, 59, 59, 0, time.UTC)
)

// generate builds every table's rows, in insertion (foreign-key) order.
func generate() []table {
	g := &gen{r: rand.New(rand.NewPCG(seed1, seed2))}

	// artists
	artists := table{name: "artists", cols: []string{"id", "name", `"Sort Name"`, "country", "formed_on", "verified", "links"}}
	names := slices.Clone(artistNames)
	for range numGeneratedArtists {
		names = append(names, "The "+g.pick(bandAdjectives)+" "+g.pick(bandNouns))
	}
	formed := make([]time.Time, len(names)+1)
	for i, name := range names {
		id := i + 1
		var sortName, country, formedOn, links any
		switch {
		case strings.HasPrefix(name, "The "):
			sortName = strings.TrimPrefix(name, "The ") + ", The"
		case g.chance(0.9):
			sortName = name
		}
		if g.chance(0.85) {
			country = g.pick(countries)
		}
		formed[id] = g.between(epochStart, time.Date(2018, 1, 1, 0, 0, 0, 0, time.UTC))
		if g.chance(0.8) {
			formedOn = date(formed[id])
		}
		if g.chance(0.7) {
			slug := fmt.Sprintf("artist-%d", id)
			links = mustJSON(map[string]any{
				"website": "https://example.com/" + slug,
				"socials": []string{"@" + strings.ReplaceAll(slug, "-", "_")},
			})
		}
		artists.rows = append(artists.rows, []any{id, name, sortName, country, formedOn, g.chance(0.4), links})
	}

	// albums and tracks
	albums := table{name: "albums", cols: []string{"id", "artist_id", "title", "released_on", "label", "price", "tags"}}
	tracks := table{name: "tracks", cols: []string{"id", "album_id", "track_number", "name", "genre", "composer",
		"milliseconds", "bytes", "unit_price", "explicit", "rating", "metadata", "added_at"}}
	type trackInfo struct {
		cents, ms int
		added     time.Time
	}
	trackInfos := []trackInfo{{}} // 1-based
	albumPrices := []int{799, 999, 1000, 1299, 1499}
	for artistID := 1; artistID <= len(names); artistID++ {
		for range 2 + g.r.IntN(4) {
			albumID := len(albums.rows) + 1
			released := g.between(formed[artistID], dataEnd.AddDate(-1, 0, 0))
			var releasedOn, label, tags any
			if g.chance(0.92) {
				releasedOn = date(released)
			}
			if g.chance(0.75) {
				label = g.pick(labels)
			}
			switch {
			case g.chance(0.15):
				tags = "[]"
			case g.chance(0.8):
				var ts []string
				for _, t := range albumTags {
					if g.chance(0.25) {
						ts = append(ts, t)
					}
				}
				tags = mustJSON(append([]string{}, ts...))
			}
			albums.rows = append(albums.rows, []any{albumID, artistID, g.title(), releasedOn, label,
				money(albumPrices[g.r.IntN(len(albumPrices))]), tags})

			genre := g.pick(genres)
			added := g.between(storeOpen, dataEnd.AddDate(0, -6, 0))
			count := 6 + g.r.IntN(9)
			for n := 1; n <= count; n++ {
				id := len(tracks.rows) + 1
				ms := 90_000 + g.r.IntN(390_000)
				cents := 99
				if ms > 420_000 {
					cents = 199
				} else if g.chance(0.2) {
					cents = 129
				}
				var composer, bytes, rating, meta any
				if g.chance(0.7) {
					composer = firstNames[g.r.IntN(len(firstNames))].name + " " + lastNames[g.r.IntN(len(lastNames))].name
					if g.chance(0.3) {
						composer = composer.(string) + " / " + lastNames[g.r.IntN(len(lastNames))].name
					}
				}
				if g.chance(0.9) {
					bytes = int64(ms)*40 + g.r.Int64N(500_000)
				}
				if g.chance(0.8) {
					rating = float64(10+g.r.IntN(41)) / 10
				}
				if g.chance(0.75) {
					meta = mustJSON(map[string]any{
						"bpm":  70 + g.r.IntN(110),
						"key":  g.pick(musicalKeys),
						"isrc": fmt.Sprintf("XXJB%02d%05d", added.Year()%100, id),
					})
				}
				trackAdded := added.Add(time.Duration(n) * time.Minute)
				trackInfos = append(trackInfos, trackInfo{cents: cents, ms: ms, added: trackAdded})
				tracks.rows = append(tracks.rows, []any{id, albumID, n, g.title(), genre, composer, ms, bytes,
					money(cents), g.chance(0.1), rating, meta, datetime(trackAdded)})
			}
		}
	}
	numTracks := len(tracks.rows)

	// customers
	customers := table{name: "customers", cols: []string{"id", "first_name", "last_name", "email", "company", "city",
		"country", "birth_date", "newsletter", "referred_by", "preferences", "created_at"}}
	type customerInfo struct {
		created time.Time
		city    any
		country string
	}
	custInfos := []customerInfo{{}}
	for id := 1; id <= numCustomers; id++ {
		first, last := firstNames[g.r.IntN(len(firstNames))], lastNames[g.r.IntN(len(lastNames))]
		pl := places[g.r.IntN(len(places))]
		var company, city, birth, referred, prefs any
		if g.chance(0.3) {
			company = g.pick(companies)
		}
		if g.chance(0.95) {
			city = pl.city
		}
		if g.chance(0.7) {
			birth = date(g.between(time.Date(1950, 1, 1, 0, 0, 0, 0, time.UTC), time.Date(2006, 1, 1, 0, 0, 0, 0, time.UTC)))
		}
		if id > 1 && g.chance(0.2) {
			referred = 1 + g.r.IntN(id-1)
		}
		if g.chance(0.8) {
			var fs []string
			for _, f := range formats {
				if g.chance(0.5) {
					fs = append(fs, f)
				}
			}
			prefs = mustJSON(map[string]any{
				"language": g.pick(languages),
				"formats":  append([]string{}, fs...),
				"notify":   g.chance(0.5),
			})
		}
		created := g.between(storeOpen, dataEnd.AddDate(-1, 0, 0))
		custInfos = append(custInfos, customerInfo{created: created, city: city, country: pl.country})
		email := fmt.Sprintf("%s.%s%d@example.com", first.ascii, last.ascii, id)
		customers.rows = append(customers.rows, []any{id, first.name, last.name, email, company, city, pl.country,
			birth, g.chance(0.45), referred, prefs, datetime(created)})
	}

	// invoices and their lines: ids increase with time
	invoices := table{name: "invoices", cols: []string{"id", "customer_id", "invoiced_at", "billing_city",
		"billing_country", "total", "paid", "notes"}}
	lines := table{name: "invoice_lines", cols: []string{"id", "invoice_id", "track_id", "unit_price", "quantity"}}
	// customers by sign-up time: an invoice goes to someone already signed up
	bySignup := make([]int, numCustomers)
	for i := range bySignup {
		bySignup[i] = i + 1
	}
	slices.SortFunc(bySignup, func(a, b int) int { return custInfos[a].created.Compare(custInfos[b].created) })
	firstSignup := custInfos[bySignup[0]].created
	times := make([]time.Time, numInvoices)
	for i := range times {
		times[i] = g.between(firstSignup.Add(time.Hour), dataEnd)
	}
	slices.SortFunc(times, func(a, b time.Time) int { return a.Compare(b) })
	for i, at := range times {
		id := i + 1
		signedUp, _ := slices.BinarySearchFunc(bySignup, at, func(c int, at time.Time) int { return custInfos[c].created.Compare(at) })
		cust := bySignup[g.r.IntN(signedUp)]
		total := 0
		seen := map[int]bool{}
		for range 1 + g.r.IntN(6) {
			tr := 1 + g.r.IntN(numTracks)
			if seen[tr] {
				continue
			}
			seen[tr] = true
			qty := 1
			if g.chance(0.1) {
				qty = 2
			}
			c := trackInfos[tr].cents
			total += c * qty
			lines.rows = append(lines.rows, []any{len(lines.rows) + 1, id, tr, money(c), qty})
		}
		var notes any
		if g.chance(0.12) {
			notes = g.pick(invoiceNotes)
		}
		ci := custInfos[cust]
		invoices.rows = append(invoices.rows, []any{id, cust, datetime(at), ci.city, ci.country, money(total),
			g.chance(0.85), notes})
	}

	// favorites: composite primary key (customer_id, track_id)
	favorites := table{name: "favorites", cols: []string{"customer_id", "track_id", "added_at", "note"}}
	for cust := 1; cust <= numCustomers; cust++ {
		seen := map[int]bool{}
		for range g.r.IntN(9) {
			tr := 1 + g.r.IntN(numTracks)
			if seen[tr] {
				continue
			}
			seen[tr] = true
			var note any
			if g.chance(0.2) {
				note = g.pick(favoriteNotes)
			}
			favorites.rows = append(favorites.rows, []any{cust, tr, datetime(g.between(custInfos[cust].created, dataEnd)), note})
		}
	}

	// plays: no primary key; duplicates are possible
	plays := table{name: "plays", cols: []string{"track_id", "customer_id", "played_at", "seconds", "device"}}
	for range numPlays {
		tr := 1 + g.r.IntN(numTracks)
		var cust, device any
		if g.chance(0.75) {
			cust = 1 + g.r.IntN(numCustomers)
		}
		if g.chance(0.9) {
			device = g.pick(devices)
		}
		secs := 1 + g.r.IntN(trackInfos[tr].ms/1000)
		plays.rows = append(plays.rows, []any{tr, cust, datetime(g.between(trackInfos[tr].added, dataEnd)), secs, device})
	}

	return []table{artists, albums, tracks, customers, invoices, lines, favorites, plays}
}
