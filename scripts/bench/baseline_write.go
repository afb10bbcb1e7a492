// The baseline server's create and update handlers.

package main

import (
	"encoding/json"
	"net/http"
	"strconv"
	"time"
)

type itemIn struct {
	CategoryID  int64           `json:"category_id"`
	Name        string          `json:"name"`
	Description *string         `json:"description"`
	Price       string          `json:"price"`
	Quantity    int64           `json:"quantity"`
	CreatedAt   time.Time       `json:"created_at"`
	Active      bool            `json:"active"`
	Attrs       json.RawMessage `json:"attrs"`
}

// create inserts a bench_items row in a transaction and answers it.
func (b *baseline) create(w http.ResponseWriter, r *http.Request, ins string, sel *stmt) error {
	var in itemIn
	if err := json.NewDecoder(r.Body).Decode(&in); err != nil {
		writeBody(w, http.StatusBadRequest, []byte(`{"non_field_errors":["Incorrect JSON body"]}`))
		return nil
	}
	// one INSERT, atomic by itself, as the bridge runs it
	var id int64
	if err := b.pool.QueryRow(r.Context(), ins, in.CategoryID, in.Name, in.Description, in.Price, in.Quantity, in.CreatedAt, in.Active, string(in.Attrs)).Scan(&id); err != nil {
		return err
	}
	return b.one(w, r, sel, http.StatusCreated, id)
}

// update changes quantity and active of one bench_items row.
func (b *baseline) update(w http.ResponseWriter, r *http.Request, check, upd string, sel *stmt) error {
	pk, err := strconv.ParseInt(r.PathValue("pk"), 10, 64)
	if err != nil {
		writeBody(w, http.StatusNotFound, []byte(`{"detail":"Not found"}`))
		return nil
	}
	var in struct {
		Quantity int64 `json:"quantity"`
		Active   bool  `json:"active"`
	}
	if err := json.NewDecoder(r.Body).Decode(&in); err != nil {
		writeBody(w, http.StatusBadRequest, []byte(`{"non_field_errors":["Incorrect JSON body"]}`))
		return nil
	}
	ctx := r.Context()
	tx, err := b.pool.Begin(ctx)
	if err != nil {
		return err
	}
	defer tx.Rollback(ctx) //nolint:errcheck // after Commit it is a no-op
	rows, err := tx.Query(ctx, check, pk)
	if err != nil {
		return err
	}
	n := 0
	for rows.Next() {
		n++
	}
	rows.Close()
	if err := rows.Err(); err != nil {
		return err
	}
	if n != 1 {
		writeBody(w, http.StatusNotFound, []byte(`{"detail":"Not found"}`))
		return nil
	}
	if _, err := tx.Exec(ctx, upd, in.Quantity, in.Active, pk); err != nil {
		return err
	}
	if err := tx.Commit(ctx); err != nil {
		return err
	}
	return b.one(w, r, sel, http.StatusOK, pk)
}
