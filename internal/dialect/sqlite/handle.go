package sqlite

import (
	"database/sql"
	"reflect"
	"sync"
	"unsafe"

	"modernc.org/libc"
	sqlite3 "modernc.org/sqlite/lib"
)

// Interrupter returns a function that interrupts the statement running
// on a SQLite connection (sqlite3_interrupt), or nil when the driver's
// connection does not have the expected shape.
//
// github.com/glebarez/go-sqlite honours a context only while it prepares a
// statement: the steps that produce rows (where a slow query spends its
// time) never look at it, so neither SQL_TIMEOUT nor a client disconnect
// would stop them. The driver keeps its handle in unexported fields of its
// connection (db, tls, and the embedded sync.Mutex it takes around its own
// interrupt and Close); this reads them exactly as the driver's own
// context handling does. A test (sqlapi TestSQLiteInterrupterFindsHandle) fails if
// a driver upgrade changes that layout.
func Interrupter(conn *sql.Conn) func() {
	var fn func()
	_ = conn.Raw(func(dc any) error {
		fn = interruptFunc(dc)
		return nil
	})
	return fn
}

func interruptFunc(dc any) func() {
	db, tls, mu := sqliteHandle(dc)
	if db == nil {
		return nil
	}
	return func() {
		mu.Lock()
		defer mu.Unlock()
		if *tls != nil && *db != 0 {
			sqlite3.Xsqlite3_interrupt(*tls, *db)
		}
	}
}

// sqliteHandle finds the driver connection's handle, TLS and mutex (see
// Interrupter); nil when the layout is not the expected one.
func sqliteHandle(dc any) (*uintptr, **libc.TLS, *sync.Mutex) {
	v := reflect.ValueOf(dc)
	if v.Kind() != reflect.Pointer || v.IsNil() || v.Elem().Kind() != reflect.Struct {
		return nil, nil, nil
	}
	s := v.Elem()
	dbF, tlsF, muF := s.FieldByName("db"), s.FieldByName("tls"), s.FieldByName("Mutex")
	if !dbF.IsValid() || !tlsF.IsValid() || !muF.IsValid() ||
		dbF.Kind() != reflect.Uintptr ||
		tlsF.Type() != reflect.TypeFor[*libc.TLS]() ||
		muF.Type() != reflect.TypeFor[sync.Mutex]() {
		return nil, nil, nil
	}
	return (*uintptr)(unsafe.Pointer(dbF.UnsafeAddr())), (**libc.TLS)(unsafe.Pointer(tlsF.UnsafeAddr())),
		(*sync.Mutex)(unsafe.Pointer(muF.UnsafeAddr()))
}

// LengthLimit sets the connection's SQLITE_LIMIT_LENGTH (the longest
// string or blob, e.g. zeroblob(1000000000)) and returns the previous
// value, or -1 when the handle cannot be reached. Called only while the
// connection is held by this request (no statement runs on it).
func LengthLimit(conn *sql.Conn, n int) int {
	prev := -1
	_ = conn.Raw(func(dc any) error {
		h, tls, _ := sqliteHandle(dc)
		if h != nil && *tls != nil && *h != 0 {
			prev = int(sqlite3.Xsqlite3_limit(*tls, *h, sqlite3.SQLITE_LIMIT_LENGTH, int32(min(n, 1<<31-1))))
		}
		return nil
	})
	return prev
}
