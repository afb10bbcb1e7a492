package demo

// schemaVersion is stored in the marker table; a demo file holding another
// version is rebuilt. Bump it whenever the schema or the generated data change.
const schemaVersion = 1

// markerTable marks a file as a jetbridge demo database. Tables named
// __jet__* are internal and never exposed by the API.
const markerTable = "__jet__demo"

// schemaSQL creates the demo database: a small music store. It covers what
// the API must handle on SQLite: AUTOINCREMENT keys, foreign-key chains (a
// self-reference and an ON DELETE CASCADE included), declared DATE,
// DATETIME, TIMESTAMP, DECIMAL(10,2), BOOLEAN, JSON and REAL columns, NULLs,
// a composite primary key (favorites), a table without a primary key
// (plays), a column whose name needs quoting ("Sort Name") and a view.
const schemaSQL = `
CREATE TABLE artists (
    id          INTEGER PRIMARY KEY AUTOINCREMENT,
    name        VARCHAR(120) NOT NULL,
    "Sort Name" VARCHAR(120),
    country     CHAR(2),
    formed_on   DATE,
    verified    BOOLEAN NOT NULL DEFAULT 0,
    links       JSON
);

CREATE TABLE albums (
    id          INTEGER PRIMARY KEY AUTOINCREMENT,
    artist_id   INTEGER NOT NULL REFERENCES artists (id),
    title       VARCHAR(160) NOT NULL,
    released_on DATE,
    label       VARCHAR(80),
    price       DECIMAL(10,2) NOT NULL,
    tags        JSON
);
CREATE INDEX albums_artist_id_idx ON albums (artist_id);

CREATE TABLE tracks (
    id           INTEGER PRIMARY KEY AUTOINCREMENT,
    album_id     INTEGER NOT NULL REFERENCES albums (id),
    track_number INTEGER NOT NULL,
    name         VARCHAR(200) NOT NULL,
    genre        VARCHAR(40) NOT NULL,
    composer     VARCHAR(220),
    milliseconds INTEGER NOT NULL,
    bytes        INTEGER,
    unit_price   DECIMAL(10,2) NOT NULL DEFAULT 0.99,
    explicit     BOOLEAN NOT NULL DEFAULT 0,
    rating       REAL,
    metadata     JSON,
    added_at     DATETIME NOT NULL DEFAULT CURRENT_TIMESTAMP
);
CREATE INDEX tracks_album_id_idx ON tracks (album_id);

CREATE TABLE customers (
    id          INTEGER PRIMARY KEY AUTOINCREMENT,
    first_name  VARCHAR(40) NOT NULL,
    last_name   VARCHAR(40) NOT NULL,
    email       VARCHAR(120) NOT NULL UNIQUE,
    company     VARCHAR(80),
    city        VARCHAR(60),
    country     VARCHAR(60) NOT NULL,
    birth_date  DATE,
    newsletter  BOOLEAN NOT NULL DEFAULT 0,
    referred_by INTEGER REFERENCES customers (id),
    preferences JSON,
    created_at  TIMESTAMP NOT NULL DEFAULT CURRENT_TIMESTAMP
);
CREATE INDEX customers_referred_by_idx ON customers (referred_by);

CREATE TABLE invoices (
    id              INTEGER PRIMARY KEY AUTOINCREMENT,
    customer_id     INTEGER NOT NULL REFERENCES customers (id),
    invoiced_at     DATETIME NOT NULL,
    billing_city    VARCHAR(60),
    billing_country VARCHAR(60) NOT NULL,
    total           DECIMAL(10,2) NOT NULL,
    paid            BOOLEAN NOT NULL DEFAULT 0,
    notes           TEXT
);
CREATE INDEX invoices_customer_id_idx ON invoices (customer_id);

CREATE TABLE invoice_lines (
    id         INTEGER PRIMARY KEY AUTOINCREMENT,
    invoice_id INTEGER NOT NULL REFERENCES invoices (id) ON DELETE CASCADE,
    track_id   INTEGER NOT NULL REFERENCES tracks (id),
    unit_price DECIMAL(10,2) NOT NULL,
    quantity   INTEGER NOT NULL DEFAULT 1
);
CREATE INDEX invoice_lines_invoice_id_idx ON invoice_lines (invoice_id);
CREATE INDEX invoice_lines_track_id_idx ON invoice_lines (track_id);

CREATE TABLE favorites (
    customer_id INTEGER NOT NULL REFERENCES customers (id),
    track_id    INTEGER NOT NULL REFERENCES tracks (id),
    added_at    TIMESTAMP NOT NULL,
    note        TEXT,
    PRIMARY KEY (customer_id, track_id)
);
CREATE INDEX favorites_track_id_idx ON favorites (track_id);

CREATE TABLE plays (
    track_id    INTEGER NOT NULL REFERENCES tracks (id),
    customer_id INTEGER REFERENCES customers (id),
    played_at   TIMESTAMP NOT NULL,
    seconds     INTEGER NOT NULL,
    device      VARCHAR(20)
);
CREATE INDEX plays_track_id_idx ON plays (track_id);

CREATE VIEW customer_totals AS
SELECT c.id AS customer_id,
       c.first_name || ' ' || c.last_name AS name,
       c.country AS country,
       COUNT(i.id) AS invoices,
       ROUND(COALESCE(SUM(i.total), 0), 2) AS total_spent,
       MAX(i.invoiced_at) AS last_invoice_at
FROM customers c
LEFT JOIN invoices i ON i.customer_id = c.id
GROUP BY c.id, c.first_name, c.last_name, c.country;

CREATE TABLE __jet__demo (
    version    INTEGER NOT NULL,
    created_at DATETIME NOT NULL
);
`
