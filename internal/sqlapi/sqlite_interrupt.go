package sqlapi

import (
	"database/sql"
	"reflect"
	"sync"
	"unsafe"

	"modernc.org/libc"
	sqlite3 "modernc.org/sqlite/lib"
)

// sqliteInterrupter returns a function that interrupts the statement running
// on a SQLite connection (sqlite3_interrupt), or nil when the driver's
// connection does not have the expected shape.
//
// github.com/glebarez/go-sqlite honours a context only while it prepares a
// statement: the steps that produce rows (where a slow query spends its
// time) never look at it, so neither SQL_TIMEOUT nor a client disconnect
// would stop them. The driver keeps its handle in unexported fields of its
// connection (db, tls, and the embedded sync.Mutex it takes around its own
// interrupt and Close); this reads them exactly as the driver's own
// context handling does. A test (TestSQLiteInterrupterFindsHandle) fails if
// a driver upgrade changes that layout.
func sqliteInterrupter(conn *sql.Conn) func() {
	var fn func()
	_ = conn.Raw(func(dc any) error {
		fn = interruptFunc(dc)
		return nil
	})
	return fn
}

func interruptFunc(dc any) func() {
	v := reflect.ValueOf(dc)
	if v.Kind() != reflect.Pointer || v.IsNil() || v.Elem().Kind() != reflect.Struct {
		return nil
	}
	s := v.Elem()
	dbF, tlsF, muF := s.FieldByName("db"), s.FieldByName("tls"), s.FieldByName("Mutex")
	if !dbF.IsValid() || !tlsF.IsValid() || !muF.IsValid() ||
		dbF.Kind() != reflect.Uintptr ||
		tlsF.Type() != reflect.TypeFor[*libc.TLS]() ||
		muF.Type() != reflect.TypeFor[sync.Mutex]() {
		return nil
	}
	db := (*uintptr)(unsafe.Pointer(dbF.UnsafeAddr()))
	tls := (**libc.TLS)(unsafe.Pointer(tlsF.UnsafeAddr()))
	mu := (*sync.Mutex)(unsafe.Pointer(muF.UnsafeAddr()))
	return func() {
		mu.Lock()
		defer mu.Unlock()
		if *tls != nil && *db != 0 {
			sqlite3.Xsqlite3_interrupt(*tls, *db)
		}
	}
}
