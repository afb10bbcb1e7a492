// Package query turns the list parameters of /api/models/{model}/ (spec §9)
// into SQL for PostgreSQL, MySQL/MariaDB and SQLite: column filters, _search,
// _order_by, _relation and _m2m (Parse), the list, count and estimate
// statements, aggregate/, group/, get_siblings/, reorder/ and reset_order/.
//
// Safety: identifiers come only from the schema.Model (and schema.Schema for
// _relation/_m2m) and are quoted as db.Dialect quotes them; every value is a
// bound parameter, numbered across the whole statement. Client mistakes are
// 400 *apierr.Error values in upstream's shape {"non_field_errors": [...]}:
// a value that cannot be read for its column, or an integer outside the
// column's range (ErrOutOfRange), says "<column>: <message>"; so do an
// unknown _order_by/_x_column/_y_column column, a bad _relation or _segment.
//
// Engine behaviour worth knowing:
//
//   - Case-insensitive matching (icontains, istartswith, iendswith,
//     json_icontains, _search): PostgreSQL ILIKE (Unicode, per the database's
//     LC_CTYPE; a "C" ctype folds ASCII only); MySQL/MariaDB LOWER() on both
//     sides under the column collation (utf8mb4_*_ci collations also ignore
//     accents, so "eco" finds "École"); SQLite through jetbridge_lower(), a
//     Unicode lower-casing function this package registers on the pure-Go
//     driver (SQLite's own lower()/LIKE fold ASCII only). % and _ match
//     literally everywhere (ESCAPE '!'). exact is the engine's = (case-
//     sensitive on PostgreSQL and SQLite, collation-dependent on MySQL).
//   - Datetime filters: text with an offset is that instant; without one it
//     is read in ?tz= (IANA name or ±HH:MM, default UTC). timestamptz
//     (PostgreSQL) compares instants; columns without a time zone (all MySQL
//     and SQLite datetimes) compare wall-clock values in that zone. SQLite
//     datetimes are normalised to "YYYY-MM-DD HH:MM:SS.ffffff" before
//     comparing (separator, fraction length; text stored with an offset is
//     taken as UTC); values stored as numbers are not understood.
//   - JSON exact/in: containment (@>) on PostgreSQL, a case-insensitive text
//     match elsewhere, as §9.4 describes. PostgreSQL arrays: the value (each
//     element of a JSON array value) is one of the array's elements, compared
//     as text; in is any of them.
//   - group/ date truncation gives identical buckets on every engine (weeks
//     start on Monday, date_second truncates to the second); timestamptz is
//     bucketed in ?tz=. Labels: datetimes ISO 8601 ("Z" for UTC; no offset
//     for columns without a time zone, as §2 prints naive values), dates
//     YYYY-MM-DD, numbers (decimals too) as JSON numbers. AVG on MySQL has
//     the engine's precision (4 more decimals than the column).
package query
